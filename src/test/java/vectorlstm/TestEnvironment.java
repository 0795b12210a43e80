package vectorlstm;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need something of the operating system beyond the JDK (Linux's /dev/full, /proc and
 * mkfifo, Debian's chromium, python3 with numpy). On CI (CI=true) every one of them is there —
 * `.ci/run` installs chromium and python3-numpy — so a missing one fails the test there. Elsewhere
 * (a developer's macOS, a Windows build) the test is skipped with the reason: the product does
 * not need these things, only the test's way of checking does.
 */
public final class TestEnvironment {
    private TestEnvironment() {}

    public static void require(boolean available, String what) {
        if (available) return;
        if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI must provide " + what + " (.ci/run installs it)");
        Assumptions.abort("needs " + what);  // off CI only: the product does not need it, this check does (class comment)
    }
}
