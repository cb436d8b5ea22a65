package dev.thunk.core.access;

import java.util.Locale;
import java.util.Optional;

/**
 * One statement of a function's resource-based policy: it allows {@code principal} to perform {@code action} on
 * {@code resource}, under conditions on the calling service's source when those are given.
 *
 * @param principal {@code *}, an IAM ARN ({@code arn:aws:iam::123456789012:root}) or a service principal
 *                  ({@code s3.amazonaws.com}), as AddPermission normalised it
 * @param resource  the ARN of the function, version or alias the policy belongs to
 */
public record PolicyStatement(String sid, String action, String principal, String resource,
                              Optional<String> sourceArn, Optional<String> sourceAccount,
                              Optional<String> functionUrlAuthType) {

    /** What kind of principal a statement names, which decides how AWS writes it in the policy document. */
    public enum PrincipalKind { ANYONE, AWS, SERVICE }

    public PrincipalKind principalKind() {
        if (principal.equals("*")) {
            return PrincipalKind.ANYONE;
        }
        return principal.startsWith("arn:") ? PrincipalKind.AWS : PrincipalKind.SERVICE;
    }

    /**
     * Whether this statement lets {@code caller} perform {@code action} by calling Lambda directly with its own
     * key. A condition on the source (ARN, account, function URL auth type) never holds for such a call: those
     * keys are only set when a service or a function URL calls on someone's behalf.
     */
    public boolean allowsDirectCall(Caller caller, String action) {
        boolean conditional = sourceArn.isPresent() || sourceAccount.isPresent() || functionUrlAuthType.isPresent();
        return !conditional && actionCovers(action) && principalCovers(caller);
    }

    private boolean actionCovers(String requested) {
        // IAM compares action names without regard to case.
        String own = action.toLowerCase(Locale.ROOT);
        return own.equals("*") || own.equals("lambda:*") || own.equals(requested.toLowerCase(Locale.ROOT));
    }

    private boolean principalCovers(Caller caller) {
        return switch (principalKind()) {
            case ANYONE -> true;
            case AWS -> principal.equals(caller.arn());
            case SERVICE -> false;
        };
    }
}
