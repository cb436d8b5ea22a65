package dev.thunk.api;

import dev.thunk.core.Account;
import dev.thunk.core.ErrorCode;
import dev.thunk.core.FunctionRef;
import dev.thunk.core.LambdaException;
import dev.thunk.core.access.Caller;
import dev.thunk.core.access.PolicyService;

import java.util.regex.Pattern;

/**
 * Who may run what. A caller whose key belongs to the account that owns the functions may run everything. A
 * caller from another account may only invoke, and only a function whose resource-based policy allows it; any
 * other operation is refused with AWS's {@code AccessDeniedException}. Thread-safe.
 */
final class AccessControl {
    /** Paths of operations on one function: their first parameter is its name. */
    private static final Pattern FUNCTION_PATH = Pattern.compile("/\\d{4}-\\d{2}-\\d{2}/functions/[^/]+(/.*)?");

    private final Account account;
    private final PolicyService policies;

    AccessControl(PolicyService policies) {
        this.account = policies.account();
        this.policies = policies;
    }

    /** Whether the caller owns everything here, so that nothing needs looking up. Never blocks. */
    boolean owns(Caller caller) {
        return caller.accountId().equals(account.accountId());
    }

    /** Refuses a caller from another account what no policy allows it. May block on the store. */
    void authorize(Caller caller, Route route, String rawPath, ApiRequest request) {
        // Both invoke operations are the one IAM action lambda:InvokeFunction.
        if (route.name().equals("InvokeFunction") || route.name().equals(InvokeRoutes.STREAMING_NAME)) {
            policies.authorizeInvoke(caller, request.path(0), request.queryParam("Qualifier"));
            return;
        }
        String action = "lambda:" + route.name();
        if (FUNCTION_PATH.matcher(rawPath).matches()) {
            throw PolicyService.accessDenied(caller, action, functionArn(request.path(0)));
        }
        throw new LambdaException(ErrorCode.AccessDeniedException, "User: " + caller.arn()
                + " is not authorized to perform: " + action + " on resource: * because this server holds the "
                + "functions of account " + account.accountId() + " only; other accounts may invoke the functions "
                + "whose resource-based policy allows them");
    }

    private String functionArn(String reference) {
        try {
            FunctionRef ref = FunctionRef.parse(reference, account);
            return ref.qualifier().map(q -> account.functionArn(ref.name(), q)).orElse(account.functionArn(ref.name()));
        } catch (LambdaException e) {
            return "*";
        }
    }
}
