package vectorlstm.serve;

/** A request the server refuses: the HTTP status and a message for the JSON error body. */
final class ApiError extends RuntimeException {
    final int status;

    ApiError(int status, String message) {
        super(message, null, false, false);  // control flow, not a bug: no stack trace to fill
        this.status = status;
    }
}
