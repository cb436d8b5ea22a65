package dev.thunk.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thunk.core.control.AccountUsage;
import dev.thunk.core.control.ConcurrencyService;
import dev.thunk.core.control.FunctionService;

import java.util.List;

/** GetAccountSettings: {@code /2016-08-19/account-settings}. */
final class AccountRoutes {
    static final long TOTAL_CODE_SIZE = 80_530_636_800L;
    static final long CODE_SIZE_UNZIPPED = FunctionService.MAX_UNZIPPED_SIZE;
    static final long CODE_SIZE_ZIPPED = FunctionService.MAX_ZIPPED_SIZE;

    private final FunctionService functions;
    private final ConcurrencyService concurrency;

    AccountRoutes(FunctionService functions, ConcurrencyService concurrency) {
        this.functions = functions;
        this.concurrency = concurrency;
    }

    List<Route> routes() {
        return List.of(Route.of("GET", "/2016-08-19/account-settings/?", "GetAccountSettings", this::get));
    }

    private ApiResponse get(ApiRequest request) {
        AccountUsage usage = functions.usage();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putObject("AccountLimit")
                .put("TotalCodeSize", TOTAL_CODE_SIZE)
                .put("CodeSizeUnzipped", CODE_SIZE_UNZIPPED)
                .put("CodeSizeZipped", CODE_SIZE_ZIPPED)
                .put("ConcurrentExecutions", concurrency.accountLimit())
                .put("UnreservedConcurrentExecutions", concurrency.unreserved());
        out.putObject("AccountUsage")
                .put("TotalCodeSize", usage.totalCodeSize())
                .put("FunctionCount", usage.functionCount());
        return ApiResponse.json(200, out);
    }
}
