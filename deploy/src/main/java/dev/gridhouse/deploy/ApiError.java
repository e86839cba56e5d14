package dev.gridhouse.deploy;

/**
 * An API error, answered by {@link ApiRouter} as {@code {"error": message}} with an HTTP status.
 */
final class ApiError extends RuntimeException {
    final int status;

    ApiError(int status, String message) {
        super(message);
        this.status = status;
    }
}
