package com.enterpriseadmin.organization;

import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.error.DomainException;
import java.io.PrintStream;

/**
 * Operator command (NOT routed through the API): transfers an organization's ownership to another
 * active member. Run with the functions jar's classpath and the same environment as the functions
 * ({@code TABLE_NAME}, {@code AWS_REGION}, AWS credentials; {@code AWS_ENDPOINT_URL} for an emulator):
 *
 * <pre>
 * java -cp "functions/target/functions-1.0.0-SNAPSHOT.jar:$(cat functions/target/classpath.txt)" \
 *   com.enterpriseadmin.organization.TransferOwnershipCommand {orgId} {newOwnerUserId} "ticket #123"
 * </pre>
 * Exit status: 0 done, 1 refused (unknown org/member, suspended member), 2 usage.
 */
public final class TransferOwnershipCommand {
    private TransferOwnershipCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || args.length > 3) {
            err.println("usage: TransferOwnershipCommand <orgId> <newOwnerUserId> [reason]");
            return 2;
        }
        Wiring wiring = Wiring.get();
        OwnershipTransfer transfer = new OwnershipTransfer(wiring.organizationStore(), wiring.clock());
        try {
            OwnershipTransfer.Result r = transfer.transfer(args[0], args[1], args.length == 3 ? args[2] : null);
            out.println("ownership of " + r.orgId() + " transferred from " + r.previousOwnerId() + " to " + r.newOwnerId());
            return 0;
        } catch (DomainException e) {
            err.println("refused: " + e.code() + ": " + e.detail());
            return 1;
        }
    }
}
