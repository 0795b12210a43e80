package vectorlstm.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.TestEnvironment;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.model.History;

/**
 * The pictures as a person sees them: headless Chromium opens the explain page and the curves SVG,
 * takes a screenshot, and the test checks it is not blank and that the console logged nothing.
 * A page that logs an error proves the console check can fail. Chromium is required on CI
 * ({@code .ci/run} installs it); elsewhere the test is skipped when it is missing (TestEnvironment).
 */
class BrowserRenderTest {
    @TempDir Path dir;

    private record Render(BufferedImage screenshot, List<String> console) {}

    private static String chromium() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) if (Files.isExecutable(Path.of(c))) return c;
        TestEnvironment.require(false, "chromium (Debian package 'chromium')");
        return null;
    }

    private Render render(Path page) throws IOException, InterruptedException {
        return render(page, "1100,1400");
    }

    private Render render(Path page, String windowSize) throws IOException, InterruptedException {
        Path shot = dir.resolve(page.getFileName() + ".png");
        Process p = new ProcessBuilder(chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--user-data-dir=" + dir.resolve("profile"), "--window-size=" + windowSize, "--enable-logging=stderr", "--v=0",
                "--screenshot=" + shot, page.toUri().toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium hung");
        assertTrue(Files.exists(shot), "no screenshot; chromium said:\n" + log);
        List<String> console = log.lines().filter(l -> l.contains(":CONSOLE") || l.contains("Uncaught")).toList();
        return new Render(ImageIO.read(shot.toFile()), console);
    }

    /** Not blank: a good share of non-white pixels and many distinct colours. */
    private static void assertDrawn(BufferedImage img, String what) {
        int nonWhite = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (rgb != 0xffffff) nonWhite++;
                colours.add(rgb);
            }
        }
        double share = nonWhite / (double) (img.getWidth() / 2 * img.getHeight() / 2);
        assertTrue(share > 0.03, what + ": only " + share + " of the screenshot is drawn");
        assertTrue(colours.size() > 30, what + ": only " + colours.size() + " colours");
    }

    @Test
    void theExplainPageRendersWithoutConsoleErrors() throws Exception {
        Path page = dir.resolve("explain.html");
        try (TextClassifier c = InspectTest.classifier(3)) {
            Files.writeString(page, ExplainPage.html(Inspection.of(c, String.join(" ", InspectTest.texts(3, 9))), "test model"));
        }
        Render r = render(page);
        assertEquals(List.of(), r.console(), "console messages");
        assertDrawn(r.screenshot(), "explain page");
    }

    @Test
    void theCurvesSvgRendersWithoutConsoleErrors() throws Exception {
        Path svg = dir.resolve("curves.svg");
        Files.writeString(svg, CurvesChart.svg(History.of(List.of(new History.Epoch(1, 0.6, 0.7, 0.55, 0.72, 10),
                new History.Epoch(2, 0.4, 0.82, 0.42, 0.85, 10), new History.Epoch(3, 0.3, 0.88, 0.45, 0.84, 10)), 2), "curves"));
        Render r = render(svg, "1040,420");  // the chart's own size
        assertEquals(List.of(), r.console(), "console messages");
        assertDrawn(r.screenshot(), "curves");
    }

    @Test
    void theConsoleCheckCatchesAnError() throws Exception {
        Path page = dir.resolve("broken.html");
        Files.writeString(page, "<!DOCTYPE html><html><body><p>x</p><script>console.error('boom')</script></body></html>");
        assertTrue(render(page).console().stream().anyMatch(l -> l.contains("boom")), "a console error is seen");
    }

    /**
     * What Chromium finds wrong with the layout of every SVG in {@code html}: a text (by its
     * bounding box) that sticks out of its SVG, two texts that overlap (two rotated ones may
     * share a box corner without touching), a text over a line that is not the grid. Measured by
     * a script in this test's copy of the page.
     */
    private List<String> layoutProblems(String name, String html) throws IOException, InterruptedException {
        String script = """
                <script>
                const problems = [];
                document.querySelectorAll('svg').forEach((svg, n) => {
                  const box = svg.getBoundingClientRect();
                  const texts = [...svg.querySelectorAll('text')].map(t => ({s: t.textContent, b: t.getBoundingClientRect(), turned: t.hasAttribute('transform')}));
                  for (const t of texts) {
                    if (t.b.left < box.left - 0.5 || t.b.right > box.right + 0.5 || t.b.top < box.top - 0.5 || t.b.bottom > box.bottom + 0.5) problems.push('chart ' + n + ': [' + t.s + '] outside');
                  }
                  // Lines drawn next to texts (legend swatches, the kept-epoch mark), not the light grid, widened to be seen.
                  const lines = [...svg.querySelectorAll('line')].filter(l => !/^#e/.test(l.getAttribute('stroke') || '')).map(l => l.getBoundingClientRect());
                  for (const t of texts) for (const l of lines) {
                    if (Math.min(t.b.right, l.right + 1) - Math.max(t.b.left, l.left - 1) > 0.5 && Math.min(t.b.bottom, l.bottom + 1) - Math.max(t.b.top, l.top - 1) > 0.5) problems.push('chart ' + n + ': [' + t.s + '] over a line');
                  }
                  for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
                    const a = texts[i], b = texts[j];
                    if (a.turned && b.turned) continue;
                    if (Math.min(a.b.right, b.b.right) - Math.max(a.b.left, b.b.left) > 1 && Math.min(a.b.bottom, b.b.bottom) - Math.max(a.b.top, b.b.top) > 1) problems.push('chart ' + n + ': [' + a.s + '] over [' + b.s + ']');
                  }
                });
                document.title = 'layout:' + (problems.length ? problems.join(' | ') : 'ok');
                </script>""";
        Path page = dir.resolve(name + ".html");
        Files.writeString(page, html.contains("</body>") ? html.replace("</body>", script + "</body>") : "<!DOCTYPE html><html><head><title>x</title></head><body style=\"margin:0\">" + html + script + "</body></html>");
        String dom = domAfterScripts(page);
        java.util.regex.Matcher title = java.util.regex.Pattern.compile("<title>layout:(.*?)</title>").matcher(dom);
        assertTrue(title.find(), "the problems in the title: " + dom.substring(0, Math.min(400, dom.length())));
        return title.group(1).equals("ok") ? List.of() : List.of(title.group(1).split(" \\| "));
    }

    /** The page as Chromium holds it after its scripts ran (in a 1100 x 1400 window): what they wrote into the title. */
    private String domAfterScripts(Path page) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + dir.resolve("profile"),
                "--window-size=1100,1400", "--dump-dom", page.toUri().toString()).redirectErrorStream(false).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium hung");
        return dom;
    }

    /**
     * Rotated word ticks ran off the bottom of the probability chart under the "word read" title;
     * legend entries of capitals overprinted each other (7 px a character was assumed); the
     * colour scale's caption ran off the right for a long label; a 1-unit heatmap's key labels
     * were printed over each other; a 1e9 tick label was cut off at the left of plot --csv's chart;
     * a long title or column name ran off the chart.
     */
    @Test
    void noTextSticksOutOfItsChartOrOverprintsAnother() throws Exception {
        List<String> problems = new java.util.ArrayList<>();
        String longWords = "unfortunately disappointing extraordinary masterpiece entertainment performances cinematography unbelievable understanding relationships";
        try (TextClassifier c = ExplainLayoutTest.model(List.of("neg", "pos"), 3, longWords)) {
            problems.addAll(layoutProblems("ticks", ExplainPage.html(Inspection.of(c, longWords), "m")));
        }
        List<String> capitals = List.of("BUSINESS_MERGERS_WORLDWIDE", "HOMEWORK_HELP_MATHEMATICS", "MOVIE_REVIEWS_WESTERN_MOVIES", "WEATHER_WARNINGS_MOUNTAINS", "WORLD_NEWS_MIDDLE_EAST_AND_WEST");
        for (List<String> labels : List.of(capitals, ExplainLayoutTest.SIMILAR)) {
            try (TextClassifier c = ExplainLayoutTest.model(labels, 3, "the movie plot")) {
                problems.addAll(layoutProblems("legend", ExplainPage.html(Inspection.of(c, "the movie plot movie"), "m")));
            }
        }
        try (TextClassifier c = ExplainLayoutTest.model(List.of("neg", "pos"), 1, "the movie was great")) {
            problems.addAll(layoutProblems("one-unit", ExplainPage.html(Inspection.of(c, "the movie was great"), "m")));
        }
        problems.addAll(layoutProblems("xy", XyChart.svg(new double[] {1, 2, 3}, new double[] {1, 1e9, -5e9}, "x", "y", "t", false)));
        String name = "test accuracy on the full IMDB test split after three epochs with the default settings";
        problems.addAll(layoutProblems("xy-names", XyChart.svg(new double[] {1, 8, 32}, new double[] {0.83, 0.86, 0.87}, "units of " + name, name,
                "WIDE CAPITALS MAKE A TITLE WIDER THAN MOST: " + name, true)));
        problems.addAll(layoutProblems("curves-title", CurvesChart.svg(History.of(List.of(new History.Epoch(1, 0.6, 0.7, 0.55, 0.72, 1),
                new History.Epoch(2, 0.5, 0.8, 0.5, 0.75, 1)), -1), "Training of " + "WWWW-".repeat(60) + "model.vlstm")));
        problems.addAll(layoutProblems("curves", CurvesChart.svg(History.of(List.of(new History.Epoch(1, 0.6931, 0.5, 0.6929, 0.52, 1),
                new History.Epoch(2, 0.6925, 0.55, 0.6927, 0.6, 1)), 2), "flat")));
        assertEquals(List.of(), problems);
    }

    /**
     * A 3,000-letter word made the page 27,676 px wide in a 1,185 px window. Measured in this
     * test's copy of the page, to which it adds a script writing the widths into the title (the
     * page itself has no script).
     */
    @Test
    void aLongWordDoesNotWidenThePage() throws Exception {
        String html;
        try (TextClassifier c = InspectTest.classifier(2)) {
            html = ExplainPage.html(Inspection.of(c, "w1 " + "x".repeat(3000) + " w7 w2"), "test model");
        }
        Path page = dir.resolve("long-word.html");
        Files.writeString(page, html.replace("</body>", "<script>document.title = document.documentElement.scrollWidth + ' ' + document.documentElement.clientWidth</script></body>"));
        String dom = domAfterScripts(page);
        java.util.regex.Matcher title = java.util.regex.Pattern.compile("<title>(\\d+) (\\d+)</title>").matcher(dom);
        assertTrue(title.find(), "the widths in the title: " + dom.substring(0, Math.min(400, dom.length())));
        int scroll = Integer.parseInt(title.group(1)), client = Integer.parseInt(title.group(2));
        assertTrue(client > 0 && scroll <= client, "page " + scroll + " px wide in a " + client + " px window");
    }
}
