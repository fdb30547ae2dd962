package com.enterpriseadmin.user;

import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The e-mail beside a user id in reports (ledger actors, audit actors, usage by member): the address on the
 * user's membership of the organization, else (a member since removed) on their profile. Ids that are not
 * users ({@code system}, {@code operator}, {@code reconciliation}, an IAM ARN) have none. Two batched reads
 * at most, eventually consistent (a display value, never a decision).
 */
@FunctionalInterface
public interface UserEmails {
    /** userId → e-mail for those found. */
    Map<String, String> of(String orgId, Collection<String> userIds);

    /** No e-mails (tests of rules that do not show them). */
    UserEmails NONE = (orgId, userIds) -> Map.of();

    /** The look-up in the table. */
    static UserEmails from(Db db) {
        return (orgId, userIds) -> lookUp(db, orgId, userIds);
    }

    private static Map<String, String> lookUp(Db db, String orgId, Collection<String> userIds) {
        Set<String> ids = new LinkedHashSet<>();
        userIds.stream().filter(UserEmails::mayBeUser).forEach(ids::add);
        Map<String, String> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        List<Key> memberships = ids.stream().map(id -> Keys.membership(orgId, id)).toList();
        db.batchGet(memberships, false).values().forEach(item -> found.put(Item.str(item, "userId"), Item.str(item, "email")));
        List<Key> profiles = ids.stream().filter(id -> !found.containsKey(id)).map(Keys::userProfile).toList();
        if (!profiles.isEmpty()) {
            db.batchGet(profiles, false).values().forEach(item -> found.put(Item.str(item, "userId"), Item.str(item, "email")));
        }
        found.values().removeIf(java.util.Objects::isNull);
        return found;
    }

    /** Cognito subs (and test ids): letters, digits and dashes; never {@code system}-like words with '#', ':' or '/'. */
    private static boolean mayBeUser(String id) {
        return id != null && !id.isEmpty() && id.length() <= 128 && id.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-');
    }
}
