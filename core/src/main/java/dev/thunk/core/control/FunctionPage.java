package dev.thunk.core.control;

import dev.thunk.core.FunctionVersion;
import dev.thunk.core.LambdaException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One page of ListFunctions. The marker is opaque to callers: the last name shown, base64url-encoded, so a
 * listing continues correctly even when functions are created or deleted between pages.
 */
public record FunctionPage(List<FunctionVersion> functions, Optional<String> nextMarker) {

    static String encodeMarker(String lastName) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeMarker(String marker) {
        try {
            return new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw LambdaException.invalidParameter("Invalid marker: " + marker);
        }
    }
}
