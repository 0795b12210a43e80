package vectorlstm.serve;

import java.util.function.Consumer;

/**
 * The limits of the JDK's HTTP server (timeouts, connections, headers), which it takes from system
 * properties rather than from its API: set here before the server is made.
 */
final class JdkServerLimits {
    /** Connections the JDK keeps open at once, busy or idle; it closes the ones beyond as they arrive. */
    static final int MAX_CONNECTIONS = 4096;

    private JdkServerLimits() {}

    /**
     * The JDK server reads its limits from system properties, once, when its first server is made:
     * a request (headers and body) must arrive within the read timeout, a response may take the
     * request timeout plus the read timeout to be taken by the client. Without them one slow client
     * per connection could hold connections open forever.
     */
    static void configure(ServerSettings s, Consumer<String> log) {
        setUnlessGiven("sun.net.httpserver.maxReqTime", Long.toString(s.readTimeout().toSeconds()), log);
        setUnlessGiven("sun.net.httpserver.maxRspTime", Long.toString(s.requestTimeout().plus(s.readTimeout()).toSeconds() + 1), log);
        // How often the JDK looks for connections past those limits (default every 10 s, so a
        // connection that never sent a request was closed up to 10 s after the read timeout).
        setUnlessGiven("sun.net.httpserver.clockTick", "1000", log);
        setUnlessGiven("sun.net.httpserver.nodelay", "true", log);
        setUnlessGiven("sun.net.httpserver.maxReqHeaders", "64", log);
        setUnlessGiven("sun.net.httpserver.maxReqHeaderSize", Integer.toString(64 << 10), log);
        // Open connections beyond this are closed as they arrive: file descriptors stay bounded
        // however many sockets a client opens (64 busy clients need 64).
        setUnlessGiven("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS), log);
        // The JDK keeps at most 200 idle keep-alive connections by default and closes the others
        // right after their answer, without saying "Connection: close": a pool of more than 200
        // clients then sees its next request reset. Every connection we accept may stay alive.
        setUnlessGiven("sun.net.httpserver.maxIdleConnections", Integer.toString(MAX_CONNECTIONS), log);
    }

    /**
     * The JDK reads these once, when the first HTTP server of the process is made (for
     * {@code ./lstm serve}: this one). A value given with -D wins; a different value set by an
     * earlier server in the same process is kept by the JDK whatever we set, so say so.
     */
    private static void setUnlessGiven(String property, String value, Consumer<String> log) {
        String given = System.getProperty(property);
        if (given == null) {
            System.setProperty(property, value);
        } else if (!given.equals(value)) {
            log.accept("note: " + property + "=" + given + " (given, or from an earlier server in this process) is used, not " + value);
        }
    }
}
