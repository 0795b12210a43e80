package vectorlstm.serve;

/** A request the server refuses: the HTTP status and a message for the JSON error body. */
final class ApiError extends RuntimeException {
    final int status;

    ApiError(int status, String message) {
        super(message, null, false, false);  // control flow, not a bug: no stack trace to fill
        this.status = status;
    }

    /** At most {@code max} characters of a client's string for a message, never half a surrogate pair. */
    static String shorten(String s, int max) {
        if (s.length() <= max) return s;
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end) + "...";
    }
}
