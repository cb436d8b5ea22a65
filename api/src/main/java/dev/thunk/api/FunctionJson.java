package dev.thunk.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thunk.core.Account;
import dev.thunk.core.FunctionConfig;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.Status;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Renders a function version as AWS's {@code FunctionConfiguration}, field for field and in AWS's order. */
final class FunctionJson {
    /** AWS's LastModified format, e.g. {@code 2019-09-24T18:20:35.054+0000}. */
    static final DateTimeFormatter LAST_MODIFIED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);

    private FunctionJson() {
    }

    static ObjectNode configuration(FunctionVersion f, Account account) {
        FunctionConfig c = f.config();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("FunctionName", f.name());
        out.put("FunctionArn", f.version().equals(FunctionVersion.LATEST)
                ? account.functionArn(f.name()) : account.functionArn(f.name(), f.version()));
        out.put("Runtime", c.runtime());
        out.put("Role", c.role());
        out.put("Handler", c.handler());
        out.put("CodeSize", f.code().size());
        out.put("Description", c.description());
        out.put("Timeout", c.timeout());
        out.put("MemorySize", c.memorySize());
        out.put("LastModified", LAST_MODIFIED.format(f.lastModified()));
        out.put("CodeSha256", f.code().sha256());
        out.put("Version", f.version());
        if (!c.environment().isEmpty()) {
            ObjectNode variables = out.putObject("Environment").putObject("Variables");
            c.environment().forEach(variables::put);
        }
        c.deadLetterTargetArn().ifPresent(arn -> out.putObject("DeadLetterConfig").put("TargetArn", arn));
        out.putObject("TracingConfig").put("Mode", c.tracingMode());
        out.put("RevisionId", f.revisionId());
        if (!c.layers().isEmpty()) {
            c.layers().forEach(layer -> out.withArray("Layers").addObject()
                    .put("Arn", layer.arn()).put("CodeSize", layer.code().size()));
        }
        Status s = f.status();
        out.put("State", s.state().name());
        s.stateReason().ifPresent(v -> out.put("StateReason", v));
        s.stateReasonCode().ifPresent(v -> out.put("StateReasonCode", v));
        s.lastUpdate().ifPresent(v -> out.put("LastUpdateStatus", v.name()));
        s.lastUpdateReason().ifPresent(v -> out.put("LastUpdateStatusReason", v));
        s.lastUpdateReasonCode().ifPresent(v -> out.put("LastUpdateStatusReasonCode", v));
        out.put("PackageType", "Zip");
        c.architectures().forEach(out.putArray("Architectures")::add);
        out.putObject("EphemeralStorage").put("Size", c.ephemeralStorage());
        out.putObject("SnapStart").put("ApplyOn", "None").put("OptimizationStatus", "Off");
        out.putObject("LoggingConfig").put("LogFormat", "Text").put("LogGroup", "/aws/lambda/" + f.name());
        return out;
    }
}
