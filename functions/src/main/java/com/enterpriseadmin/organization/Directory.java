package com.enterpriseadmin.organization;

import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.error.DomainException.Forbidden;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.http.PageRequest;
import com.enterpriseadmin.store.Page;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Directory search ({@code GET /v1/organizations/{orgId}/users?q=}): members whose e-mail or name starts with
 * {@code q}, case-insensitive (both sides NFKC and lower-cased). OWNER/ADMIN search e-mails and names and see the
 * full member view; a team ADMIN (of any team) may search e-mails only, to add someone to their team, and sees
 * e-mail, name and id ({@link Entry}); anyone else is 403 {@code forbidden}. Read from the directory entries
 * ({@link OrganizationStore#searchDirectory}), written in the transactions that add and remove members.
 */
public final class Directory {
    public static final int MAX_QUERY = 100;

    private final Policy policy;
    private final OrganizationStore store;

    public Directory(Policy policy, OrganizationStore store) {
        this.policy = policy;
        this.store = store;
    }

    /** What a team ADMIN sees of a user. */
    public record Entry(String userId, String email, String name) {}

    /** The terms an entry is found by. */
    public enum Term { EMAIL, NAME }

    /** Normalised text of a directory key: NFKC, lower-case. */
    public static String normalise(String s) {
        return Normalizer.normalize(s == null ? "" : s.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    /**
     * At most this many characters of a normalised e-mail or name go into a key (a sort key is at most 1,024 bytes;
     * Cognito allows names of 2,048). A longer search prefix is matched on the key's part, then on the whole text.
     */
    public static final int KEY_CHARS = 200;

    /** The first {@link #KEY_CHARS} characters (never half a surrogate pair). */
    public static String keyPart(String normalised) {
        if (normalised.length() <= KEY_CHARS) {
            return normalised;
        }
        int end = Character.isHighSurrogate(normalised.charAt(KEY_CHARS - 1)) ? KEY_CHARS - 1 : KEY_CHARS;
        return normalised.substring(0, end);
    }

    public Page<Object> search(Caller caller, String orgId, String q, PageRequest page) {
        Standing standing = policy.member(caller, orgId);
        boolean admin = Policy.can(standing, Action.MANAGE_USERS, Optional.empty());
        if (!admin) {
            if (!standing.active()) {
                throw new Forbidden("member-suspended", "your membership of this organization is suspended");
            }
            if (!standing.teams().containsValue(TeamRole.ADMIN)) {
                throw new Forbidden("forbidden", "your role does not allow searching the organization's users");
            }
        }
        if (q.codePointCount(0, q.length()) > MAX_QUERY) {
            throw new InvalidInput("q", "'q' must be at most " + MAX_QUERY + " characters of the start of an e-mail or name");
        }
        String prefix = normalise(q);
        List<Term> terms = admin ? List.of(Term.EMAIL, Term.NAME) : List.of(Term.EMAIL);
        Page<OrganizationStore.DirectoryHit> hits = store.searchDirectory(orgId, prefix, terms, page.cursor(), page.limit());
        if (!admin) {
            return hits.map(h -> new Entry(h.userId(), h.email(), h.name()));
        }
        Map<String, Membership> members = store.memberships(orgId, hits.items().stream().map(OrganizationStore.DirectoryHit::userId).toList());
        List<Object> views = hits.items().stream().map(h -> members.get(h.userId())).filter(java.util.Objects::nonNull)
                .<Object>map(Members.View::of).toList();
        return new Page<>(views, hits.nextCursor());
    }
}
