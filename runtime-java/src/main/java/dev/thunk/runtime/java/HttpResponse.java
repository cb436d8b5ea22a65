package dev.thunk.runtime.java;

import java.util.Map;

/**
 * One HTTP response as read by {@link SocketHttpClient}.
 *
 * @param status  the status code
 * @param headers header values keyed by lower-case name (the last value wins when a name repeats)
 * @param body    the whole body, possibly empty
 */
record HttpResponse(int status, Map<String, String> headers, byte[] body) {

    String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }
}
