package dev.thunk.core.access;

import dev.thunk.core.Account;
import dev.thunk.core.ErrorCode;
import dev.thunk.core.FunctionRef;
import dev.thunk.core.FunctionStore;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.LambdaException;
import dev.thunk.core.Validation;
import dev.thunk.core.control.FunctionService;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * AddPermission, GetPolicy and RemovePermission on the resource-based policies of functions, versions and aliases,
 * and the one question the control plane asks of them: may a caller from another account invoke this function?
 * Thread-safe; blocks on the store.
 */
public final class PolicyService {
    public static final String INVOKE_ACTION = "lambda:InvokeFunction";

    private static final Pattern STATEMENT_ID = Pattern.compile("([a-zA-Z0-9-_.]+)");
    private static final Pattern ACTION = Pattern.compile("(lambda:[*]|lambda:[a-zA-Z]+|[*])");
    private static final Pattern PRINCIPAL = Pattern.compile("[^\\s]+");
    private static final Pattern SOURCE_ARN = Pattern.compile(
            "arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern QUALIFIER = Pattern.compile("(|[a-zA-Z0-9$_-]+)");
    private static final Pattern IAM_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:iam::\\d{12}:[a-zA-Z0-9+=,.@_/-]+");
    private static final Pattern SERVICE = Pattern.compile("[a-z0-9.-]+\\.(amazonaws\\.com|amazon\\.com)");

    private final Account account;
    private final FunctionStore functions;
    private final PolicyStore policies;

    public PolicyService(Account account, FunctionStore functions, PolicyStore policies) {
        this.account = account;
        this.functions = functions;
        this.policies = policies;
    }

    public Account account() {
        return account;
    }

    public PolicyStatement addPermission(String functionName, AddPermission request) {
        Validation v = new Validation()
                .required("statementId", request.statementId())
                .length("statementId", request.statementId(), 1, 100)
                .pattern("statementId", request.statementId(), STATEMENT_ID)
                .required("action", request.action())
                .pattern("action", request.action(), ACTION)
                .required("principal", request.principal())
                .pattern("principal", request.principal(), PRINCIPAL);
        request.sourceArn().ifPresent(arn -> v.pattern("sourceArn", arn, SOURCE_ARN));
        request.sourceAccount().ifPresent(id -> v.pattern("sourceAccount", id, ACCOUNT_ID));
        request.functionUrlAuthType().ifPresent(t -> v.oneOf("functionUrlAuthType", t, List.of("NONE", "AWS_IAM")));
        v.check();
        Target target = target(functionName, request.qualifier());
        PolicyStatement statement = new PolicyStatement(request.statementId(), request.action(),
                principal(request.principal()), target.arn(), request.sourceArn(), request.sourceAccount(),
                request.functionUrlAuthType());
        PolicyStore.Outcome outcome = policies.addStatement(target.name(), target.qualifier(), statement,
                request.revisionId(), UUID.randomUUID().toString());
        switch (outcome) {
            case CHANGED -> {
                return statement;
            }
            case STATEMENT_EXISTS -> throw LambdaException.conflict("The statement id (" + request.statementId()
                    + ") provided already exists. Please provide a new statement id, or remove the existing "
                    + "statement.");
            default -> throw refused(outcome, target);
        }
    }

    /** The policy; ResourceNotFoundException, as in AWS, when it has no statement. */
    public FunctionPolicy getPolicy(String functionName, Optional<String> qualifier) {
        Target target = target(functionName, qualifier);
        return policies.findPolicy(target.name(), target.qualifier())
                .orElseThrow(() -> LambdaException.notFound("The resource you requested does not exist."));
    }

    public void removePermission(String functionName, String statementId, Optional<String> qualifier,
                                 Optional<String> revisionId) {
        new Validation().length("statementId", statementId, 1, 100)
                .pattern("statementId", statementId, STATEMENT_ID).check();
        Target target = target(functionName, qualifier);
        PolicyStore.Outcome outcome = policies.removeStatement(target.name(), target.qualifier(), statementId,
                revisionId, UUID.randomUUID().toString());
        switch (outcome) {
            case CHANGED -> {
            }
            case NO_STATEMENT -> throw LambdaException.notFound(
                    "Statement " + statementId + " is not found in resource policy.");
            default -> throw refused(outcome, target);
        }
    }

    /**
     * Lets {@code caller}, whose key belongs to another account than the functions', invoke the function it names
     * only if a statement of the invoked function's (or version's, or alias's) policy allows it. The caller
     * addresses the function by its ARN: a plain name means a function of the caller's own account, which this
     * server does not hold. An unknown function is refused like a forbidden one, so that its existence stays private.
     */
    public void authorizeInvoke(Caller caller, String functionName, Optional<String> qualifierParameter) {
        String named = FunctionRef.accountIn(functionName).orElse(caller.accountId());
        if (!named.equals(account.accountId())) {
            FunctionRef ref = FunctionRef.parse(functionName, new Account(account.region(), named));
            throw LambdaException.functionNotFound("arn:aws:lambda:" + account.region() + ":" + named
                    + ":function:" + ref.name());
        }
        FunctionRef ref = FunctionRef.parse(functionName, account);
        Optional<String> qualifier = ref.qualifiedBy(qualifierParameter);
        boolean allowed = policies.findPolicy(ref.name(), qualifier.orElse(FunctionVersion.LATEST))
                .map(p -> p.statements().stream().anyMatch(s -> s.allowsDirectCall(caller, INVOKE_ACTION)))
                .orElse(false);
        if (!allowed) {
            String arn = qualifier.map(q -> account.functionArn(ref.name(), q))
                    .orElse(account.functionArn(ref.name()));
            throw accessDenied(caller, INVOKE_ACTION, arn);
        }
    }

    /** AWS's refusal of an action no resource-based policy allows. */
    public static LambdaException accessDenied(Caller caller, String action, String resource) {
        return new LambdaException(ErrorCode.AccessDeniedException, "User: " + caller.arn()
                + " is not authorized to perform: " + action + " on resource: " + resource
                + " because no resource-based policy allows the " + action + " action");
    }

    /**
     * The principal as AWS writes it into the statement: an account id becomes its root ARN; {@code *}, IAM ARNs
     * and service principals stay as given; anything else is refused.
     */
    static String principal(String raw) {
        if (raw.equals("*") || IAM_ARN.matcher(raw).matches() || SERVICE.matcher(raw).matches()) {
            return raw;
        }
        if (ACCOUNT_ID.matcher(raw).matches()) {
            return "arn:aws:iam::" + raw + ":root";
        }
        throw LambdaException.invalidParameter("The provided principal was invalid. Please check the principal and "
                + "try again.");
    }

    private LambdaException refused(PolicyStore.Outcome outcome, Target target) {
        return switch (outcome) {
            case REVISION_MISMATCH -> new LambdaException(ErrorCode.PreconditionFailedException,
                    "The Revision Id provided does not match the latest Revision Id. "
                            + "Call the GetPolicy API to retrieve the latest Revision Id");
            case NO_FUNCTION -> LambdaException.functionNotFound(target.arn());
            default -> new LambdaException(ErrorCode.ServiceException, "unexpected policy change: " + outcome);
        };
    }

    /** The function and qualifier a request names, {@code $LATEST} standing for the unqualified function. */
    private record Target(String name, String qualifier, String arn) {
    }

    private Target target(String functionName, Optional<String> qualifierParameter) {
        FunctionRef ref = FunctionRef.parse(functionName, account);
        Optional<String> qualifier = ref.qualifiedBy(qualifierParameter);
        qualifier.ifPresent(q -> new Validation().length("qualifier", q, 1, 128)
                .pattern("qualifier", q, QUALIFIER).check());
        String arn = qualifier.map(q -> account.functionArn(ref.name(), q)).orElse(account.functionArn(ref.name()));
        if (functions.find(ref.name()).isEmpty()) {
            throw LambdaException.functionNotFound(arn);
        }
        String q = qualifier.orElse(FunctionVersion.LATEST);
        boolean exists = q.equals(FunctionVersion.LATEST)
                || FunctionService.versionNumber(q).map(n -> functions.findVersion(ref.name(), n).isPresent())
                        .orElseGet(() -> functions.findAlias(ref.name(), q).isPresent());
        if (!exists) {
            throw LambdaException.functionNotFound(arn);
        }
        return new Target(ref.name(), q, arn);
    }
}
