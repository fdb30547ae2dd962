package com.enterpriseadmin.organization;

import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.store.Retry;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * Operator command (NOT routed through the API): writes the directory entries of members who joined before the
 * directory existed (every member since gets them in the transaction that adds them). Idempotent, safe to run
 * while the service runs: each member's entries are written in a transaction conditioned on the membership as
 * read, so a member removed meanwhile gets none (a changed one is read again). Same classpath and environment as
 * {@link TransferOwnershipCommand}:
 *
 * <pre>
 * java -cp "functions/target/functions-1.0.0-SNAPSHOT.jar:$(cat functions/target/classpath.txt)" \
 *   com.enterpriseadmin.organization.DirectoryBackfillCommand [orgId ...]
 * </pre>
 * Without org ids: every organization. Exit status: 0 done, 2 usage.
 */
public final class DirectoryBackfillCommand {
    private DirectoryBackfillCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, Wiring.get().organizationStore(), System.out, System.err));
    }

    static int run(String[] args, OrganizationStore store, PrintStream out, PrintStream err) {
        List<String> orgIds = args.length > 0 ? List.of(args) : store.organizationIds().toList();
        long members = 0;
        for (String orgId : orgIds) {
            Optional<String> cursor = Optional.empty();
            do {
                Page<Membership> page = store.members(orgId, cursor, 100);
                for (Membership m : page.items()) {
                    Retry.until(attempt -> {
                        Optional<Membership> current = attempt == 0 ? Optional.of(m) : store.membership(orgId, m.userId());
                        if (current.isEmpty()) {
                            return Optional.of(Boolean.FALSE); // removed meanwhile: nothing to index
                        }
                        return store.backfillDirectory(current.get()) ? Optional.of(Boolean.TRUE) : Optional.empty();
                    });
                    members++;
                }
                cursor = page.nextCursor();
            } while (cursor.isPresent());
        }
        out.println("directory entries written for " + members + " member(s) of " + orgIds.size() + " organization(s)");
        return 0;
    }
}
