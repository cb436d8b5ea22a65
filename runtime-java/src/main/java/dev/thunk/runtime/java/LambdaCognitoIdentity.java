package dev.thunk.runtime.java;

import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import java.util.Map;

/**
 * The Cognito identity of the caller, from the {@code Lambda-Runtime-Cognito-Identity} header
 * ({@code {"cognitoIdentityId":..,"cognitoIdentityPoolId":..}}, the field names AWS's runtime reads).
 */
record LambdaCognitoIdentity(String getIdentityId, String getIdentityPoolId) implements CognitoIdentity {

    /**
     * @return null when the header is absent or empty, as AWS's runtime leaves it
     * @throws IllegalArgumentException when the value is not a JSON object
     */
    static LambdaCognitoIdentity parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        if (!(Json.parse(header) instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("cognito identity is not a JSON object");
        }
        Object id = map.get("cognitoIdentityId");
        Object pool = map.get("cognitoIdentityPoolId");
        return new LambdaCognitoIdentity(id == null ? null : String.valueOf(id), pool == null ? null : String.valueOf(pool));
    }
}
