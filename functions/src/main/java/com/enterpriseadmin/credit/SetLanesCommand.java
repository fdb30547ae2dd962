package com.enterpriseadmin.credit;

import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.error.DomainException;
import java.io.PrintStream;

/**
 * Operator command (NOT routed through the API): sets the number of escrow lanes of an organization's account
 * (docs/scaling.md, "Past one item: escrow lanes"), raised for an organization whose admissions contend on its
 * one account item, or lowered again. Its available credits are spread over the lanes in the same transaction
 * (audited, actor {@code operator}); nothing is created or lost. Run like {@link SetTopUpAllowanceCommand}:
 *
 * <pre>
 * java -cp "functions/target/functions-1.0.0-SNAPSHOT.jar:$(cat functions/target/classpath.txt)" \
 *   com.enterpriseadmin.credit.SetLanesCommand {orgId} {lanes 1..64} "ticket #125"
 * </pre>
 * Exit status: 0 done, 1 refused (unknown organization), 2 usage.
 */
public final class SetLanesCommand {
    private SetLanesCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, () -> Wiring.get().lanes()));
    }

    static int run(String[] args, PrintStream out, PrintStream err, java.util.function.Supplier<Lanes> lanes) {
        if (args.length < 2 || args.length > 3) {
            err.println("usage: SetLanesCommand <orgId> <lanes 1.." + AccountLanes.MAX_LANES + "> [reason]");
            return 2;
        }
        int k;
        try {
            k = Lanes.parse(args[1]);
        } catch (DomainException e) {
            err.println("usage: " + e.detail());
            return 2;
        }
        try {
            Lanes.Status s = lanes.get().set(args[0], k, args.length == 3 ? args[2] : null);
            out.println("account lanes of " + s.orgId() + ": " + s.lanes() + " (were " + s.lanesBefore() + "; " + s.laneItems()
                    + " lane items); available " + s.account().available() + ", consumed " + s.account().consumed() + ", held " + s.account().held());
            return 0;
        } catch (DomainException e) {
            err.println("refused: " + e.code() + ": " + e.detail());
            return 1;
        }
    }
}
