package com.enterpriseadmin.credit;

import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.error.DomainException;
import java.io.PrintStream;
import java.util.Optional;

/**
 * Operator command (NOT routed through the API): sets an organization's self-service top-up allowance,
 * the total its administrators may add through {@code POST .../credits/top-ups}. Run with the functions
 * jar's classpath and the functions' environment ({@code TABLE_NAME}, {@code AWS_REGION}, AWS credentials,
 * {@code SELF_SERVICE_TOP_UP_ALLOWANCE} for the default; {@code AWS_ENDPOINT_URL} for an emulator):
 *
 * <pre>
 * java -cp "functions/target/functions-1.0.0-SNAPSHOT.jar:$(cat functions/target/classpath.txt)" \
 *   com.enterpriseadmin.credit.SetTopUpAllowanceCommand {orgId} {credits|unlimited|default} "ticket #123"
 * </pre>
 * Exit status: 0 done, 1 refused (unknown organization), 2 usage.
 */
public final class SetTopUpAllowanceCommand {
    private SetTopUpAllowanceCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, () -> Wiring.get().topUpAllowances()));
    }

    static int run(String[] args, PrintStream out, PrintStream err, java.util.function.Supplier<TopUpAllowances> allowances) {
        if (args.length < 2 || args.length > 3) {
            err.println("usage: SetTopUpAllowanceCommand <orgId> <credits|unlimited|default> [reason]");
            return 2;
        }
        Optional<Long> setting;
        try {
            setting = TopUpAllowances.parse(args[1]);
        } catch (DomainException e) {
            err.println("usage: " + e.detail());
            return 2;
        }
        try {
            TopUpAllowances.Status s = allowances.get().set(args[0], setting, args.length == 3 ? args[2] : null);
            out.println("self-service top-up allowance of " + s.orgId() + ": "
                    + s.setting().map(a -> a < 0 ? "unlimited" : a + " credits").orElse("the default (" + s.defaultAllowance() + ")")
                    + "; used " + s.used() + ", left " + (s.left() < 0 ? "unlimited" : s.left()));
            return 0;
        } catch (DomainException e) {
            err.println("refused: " + e.code() + ": " + e.detail());
            return 1;
        }
    }
}
