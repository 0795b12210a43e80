package vectorlstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The loading line's list of signals serve takes (the process itself: GracefulShutdownTest). */
class ServeSignalsTest {
    // Before: the line named SIGTERM, SIGINT and SIGHUP whatever was installed; one started with SIGINT ignored took no SIGINT.
    @Test
    void onlyTheInstalledSignalsAreNamed() {
        assertEquals("SIGTERM, SIGINT and SIGHUP are taken from here on", ServeCommand.takenSignals(List.of("TERM", "INT", "HUP")));
        assertEquals("SIGTERM and SIGHUP are taken from here on", ServeCommand.takenSignals(List.of("TERM", "HUP")));
        assertEquals("SIGTERM is taken from here on", ServeCommand.takenSignals(List.of("TERM")));
        assertEquals("no signal is taken: all three are ignored in this process", ServeCommand.takenSignals(List.of()));
    }
}
