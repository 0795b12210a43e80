package vectorlstm.text.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The byte parser must give Float.parseFloat's float bit for bit, and refuse what is not a plain decimal. */
class FloatParserTest {

    private static float parse(String s) {
        byte[] b = ("##" + s + "##").getBytes(StandardCharsets.US_ASCII);   // a range inside a larger buffer
        return FloatParser.parse(b, 2, b.length - 2);
    }

    private static void assertSameAsJdk(String s) {
        assertEquals(Float.floatToRawIntBits(Float.parseFloat(s)), Float.floatToRawIntBits(parse(s)), s);
    }

    @Test
    void matchesTheJdkOnHandPickedNumbers() {
        for (String s : new String[] {"0", "-0", "+0.0", "1", "-1", "0.10267", "-0.0039297", ".5", "5.", "1e5", "1E-5",
                "-2.5e+3", "123456789", "0.000000000000000000001234", "16777217", "3.4028235e38", "1.4e-45",
                "1e-50", "0e999999999999", "0.1000000000000000000000001", "9999999999999999999999", "7.006492e-46"}) {
            assertSameAsJdk(s);
        }
    }

    @Test
    void matchesTheJdkOnRandomDecimals() {
        SplittableRandom r = new SplittableRandom(2024);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder s = new StringBuilder();
            if (r.nextBoolean()) s.append('-');
            s.append(r.nextInt(0, 1000));
            s.append('.');
            int decimals = r.nextInt(1, 12);
            for (int d = 0; d < decimals; d++) s.append((char) ('0' + r.nextInt(10)));
            if (r.nextInt(4) == 0) s.append('e').append(r.nextInt(-45, 36));
            assertSameAsJdk(s.toString());
        }
    }

    @Test
    void matchesTheJdkOnFloatsPrintedByJava() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            assertSameAsJdk(Float.toString((float) (r.nextGaussian() * Math.pow(10, r.nextInt(-8, 8)))));
        }
    }

    @Test
    void refusesWhatIsNotAPlainDecimal() {
        for (String s : new String[] {"", "-", ".", "e5", "1e", "1e+", "1.2.3", "1f", "1d", "0x1p3", "1,5", "--1", "abc"}) {
            NumberFormatException e = assertThrows(NumberFormatException.class, () -> parse(s), s);
            assertEquals("not a number: '" + s + "'", e.getMessage());
        }
        for (String s : new String[] {"NaN", "nan", "-inf", "Infinity", "+INF"}) {
            NumberFormatException e = assertThrows(NumberFormatException.class, () -> parse(s), s);
            assertEquals("NaN or infinite value '" + s + "'", e.getMessage());
        }
        assertThrows(NumberFormatException.class, () -> parse("3.5e38"), "overflows a float");
    }
}
