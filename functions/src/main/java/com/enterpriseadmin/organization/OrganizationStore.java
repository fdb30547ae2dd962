package com.enterpriseadmin.organization;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.store.Lists;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.store.Tx;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Organizations ({@code ORG#{orgId} / ORG}) and memberships ({@code ORG#{orgId} / MEMBER#{userId}},
 * on GSI1 as {@code USER#{userId} / ORG#{orgId}}). Every write is a transaction that also puts the
 * audit entry; membership writes are conditioned on the membership's {@code version}. Methods that
 * return {@code false} lost an optimistic race (a version or ownership condition failed, or other
 * transactions contended): the caller re-reads and tries again. A cancellation no race explains is a
 * defect and throws.
 */
public final class OrganizationStore implements Policy.Memberships {
    static final String ORG_TYPE = "ORGANIZATION";
    static final String MEMBER_TYPE = "MEMBERSHIP";
    static final String ORG_CREATE_TYPE = "ORG_CREATE";

    private final Db db;
    private final AuditStore audit;

    public OrganizationStore(Db db, AuditStore audit) {
        this.db = db;
        this.audit = audit;
    }

    // ------------------------------------------------------------------ reads

    public Optional<Organization> organization(String orgId) {
        return db.get(Keys.organization(orgId)).map(OrganizationStore::orgFromItem);
    }

    public Optional<Membership> membership(String orgId, String userId) {
        return db.get(Keys.membership(orgId, userId)).map(OrganizationStore::memberFromItem);
    }

    @Override
    public Optional<Standing> find(String orgId, String userId) {
        return membership(orgId, userId).map(Membership::standing);
    }

    /** The organization's members, ordered by user id. */
    public Page<Membership> members(String orgId, Optional<String> cursor, int limit) {
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(db.table())
                .keyConditionExpression("PK = :pk AND begins_with(SK, :member)")
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(Keys.org(orgId)),
                        ":member", AttributeValue.fromS(Keys.MEMBER_PREFIX)))
                .consistentRead(true);
        return Lists.query(db, query, Lists.Scope.table(Keys.org(orgId)), cursor, limit, false)
                .map(OrganizationStore::memberFromItem);
    }

    /** All memberships of a user (GSI1, eventually consistent: for display only, never for decisions). */
    public List<Membership> membershipsOf(String userId) {
        return db.queryAll(QueryRequest.builder()
                        .indexName(Keys.GSI1)
                        .keyConditionExpression("GSI1PK = :pk AND begins_with(GSI1SK, :org)")
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.fromS(Keys.userIndex(userId)),
                                ":org", AttributeValue.fromS(Keys.org("")))))
                .map(OrganizationStore::memberFromItem)
                .toList();
    }

    /**
     * Every organization's id, page by page (lazily): a Query of the sparse GSI1 partition
     * {@code ORGANIZATIONS}, which only organization items carry. Never a scan: the job's cost is the
     * number of organizations, not the size of the table. Eventually consistent: an organization created
     * a moment ago may wait for the next run.
     */
    public java.util.stream.Stream<String> organizationIds() {
        return db.queryAll(QueryRequest.builder()
                        .indexName(Keys.GSI1)
                        .keyConditionExpression("#pk = :pk")
                        .projectionExpression("#sk")
                        .expressionAttributeNames(Map.of("#pk", Keys.GSI1PK, "#sk", Keys.GSI1SK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.ORGANIZATIONS_INDEX))))
                .map(item -> Item.str(item, Keys.GSI1SK));
    }

    /** Names of organizations by id (BatchGetItem, 100 keys per call). */
    public Map<String, String> names(Collection<String> orgIds) {
        Map<String, String> out = new HashMap<>();
        db.batchGet(orgIds.stream().map(Keys::organization).toList(), false)
                .values().forEach(item -> out.put(Item.str(item, "orgId"), Item.str(item, "name")));
        return out;
    }

    /** The {@code name} of each item that exists among {@code keys} (organizations, teams), one batched read. */
    public Map<Key, String> namesOf(Collection<Key> keys) {
        Map<Key, String> out = new HashMap<>();
        db.batchGet(keys, false).forEach((key, item) -> out.put(key, Item.str(item, "name")));
        return out;
    }

    // ------------------------------------------------------------------ writes

    /** What creating an organization did: {@code LIMITED} the creator's daily limit refused it, {@code RETRY} contention. */
    public enum Creation { DONE, LIMITED, RETRY }

    /** The creator's UTC-day window of the per-user organization creation limit. */
    public record CreateWindow(String day, long limit, Instant resetsAt) {}

    /**
     * Creates the organization and its owner's membership: put org, put owner membership (both
     * create-if-absent on fresh ids), put audit, and count the creation on the creator's counter of the
     * UTC day ({@code USER#{userId} / ORG_CREATE#{day}}), refused at the limit. Contention answers
     * {@code RETRY} (the same ids may be tried again: nothing was written).
     */
    public Creation create(Organization org, Membership owner, CreateWindow window, AuditEntry entry) {
        Tx tx = db.tx();
        tx.put(orgToItem(org)).ifAbsent().label("organization").add();
        putMembership(tx, owner);
        audit.record(tx, entry);
        Tx.Action counted = tx.update(Keys.orgCreateWindow(owner.userId(), window.day()))
                .set("#count = if_not_exists(#count, :zero) + :one").set("#ttl = :ttl").set("#type = :type")
                .when("attribute_not_exists(#count) OR #count < :limit")
                .name("#count", "count").name("#ttl", Keys.TTL).name("#type", Keys.TYPE)
                .value(":zero", 0).value(":one", 1).value(":limit", window.limit())
                .value(":ttl", window.resetsAt().plusSeconds(86_400).getEpochSecond())
                .value(":type", ORG_CREATE_TYPE)
                .label("organization-create window").add();
        addToDirectory(tx, owner);
        Tx.Result r = tx.commit();
        if (r.committed()) {
            return Creation.DONE;
        }
        if (r.failed(counted)) {
            return Creation.LIMITED;
        }
        if (r.contended()) {
            return Creation.RETRY;
        }
        throw r.unexpected();
    }

    /** Renames: update org if its version matches, put audit. */
    public boolean rename(Organization org, String newName, Instant at, AuditEntry entry) {
        Tx tx = db.tx();
        Tx.Action update = tx.update(Keys.organization(org.orgId()))
                .set("#name = :name").set("updatedAt = :at").set("version = version + :one")
                .when("version = :v")
                .name("#name", "name")
                .value(":name", newName).value(":at", Ids.at(at)).value(":one", 1).value(":v", org.version())
                .label("organization").add();
        audit.record(tx, entry);
        return tx.commit().committedUnlessRaced(update);
    }

    /**
     * Changes a member's role and/or status: update membership if its version matches and it is not
     * the OWNER, what {@code cascade} adds, put audit.
     */
    public boolean updateMember(Membership before, Membership after, Consumer<Tx> cascade, AuditEntry entry) {
        Tx tx = db.tx();
        Tx.Action update = tx.update(Keys.membership(before.orgId(), before.userId()))
                .set("#role = :role").set("#status = :status").set("updatedAt = :at").set("version = :next")
                .when("version = :v AND #role <> :owner")
                .name("#role", "role").name("#status", "status")
                .value(":role", after.role().name()).value(":status", after.status().name())
                .value(":at", Ids.at(after.updatedAt())).value(":next", after.version())
                .value(":v", before.version()).value(":owner", OrgRole.OWNER.name())
                .label("membership").add();
        cascade.accept(tx);
        audit.record(tx, entry);
        return tx.commit().committedUnlessRaced(update);
    }

    /** Removes a member: delete membership if its version matches and it is not the OWNER, what {@code cascade} adds, put audit. */
    public boolean removeMember(Membership member, Consumer<Tx> cascade, AuditEntry entry) {
        Tx tx = db.tx();
        Tx.Action delete = tx.delete(Keys.membership(member.orgId(), member.userId()))
                .when("version = :v AND #role <> :owner")
                .name("#role", "role")
                .value(":v", member.version()).value(":owner", OrgRole.OWNER.name())
                .label("membership").add();
        cascade.accept(tx);
        removeFromDirectory(tx, member);
        audit.record(tx, entry);
        return tx.commit().committedUnlessRaced(delete);
    }

    /**
     * Adds the put of a new membership (create-if-absent) to a transaction, e.g. an invitation's accept; the same
     * transaction must also {@link #addToDirectory} (at its end).
     */
    public Tx.Action addMembership(Tx tx, Membership member) {
        return putMembership(tx, member);
    }

    private static Tx.Action putMembership(Tx tx, Membership member) {
        return tx.put(memberToItem(member)).ifAbsent().label("membership").add();
    }

    /** Puts the member's directory entries (unconditionally: they are derived from the membership put beside them). */
    public static void addToDirectory(Tx tx, Membership member) {
        directoryEntries(member).forEach(item -> tx.put(item).label("directory entry").add());
    }

    // ------------------------------------------------------------------ directory

    /** A directory entry found by a search. */
    public record DirectoryHit(String userId, String email, String name) {}

    /**
     * The directory entries of a member: {@code EMAIL#{email}#{userId}} and (when the member has a name)
     * {@code NAME#{name}#{userId}}, both normalised ({@link Directory#normalise}). Membership e-mail and name are
     * copied on joining and never change, so the keys of an entry can be rebuilt from the membership to delete it.
     */
    static List<Map<String, AttributeValue>> directoryEntries(Membership m) {
        List<Map<String, AttributeValue>> items = new java.util.ArrayList<>();
        for (Directory.Term term : Directory.Term.values()) {
            directoryValue(m, term).ifPresent(value -> items.add(Item.of(Keys.directoryEntry(m.orgId(), term.name(), value, m.userId()), DIRECTORY_TYPE)
                    .s("userId", m.userId()).s("email", m.email()).s("name", m.name()).build()));
        }
        return items;
    }

    private static Optional<String> directoryValue(Membership m, Directory.Term term) {
        String raw = term == Directory.Term.EMAIL ? m.email() : m.name();
        return Optional.ofNullable(raw).map(Directory::normalise).filter(v -> !v.isEmpty()).map(Directory::keyPart);
    }

    /** Deletes (unconditionally: absent before a backfill) the member's directory entries, in the transaction that removes them. */
    void removeFromDirectory(Tx tx, Membership m) {
        for (Directory.Term term : Directory.Term.values()) {
            directoryValue(m, term).ifPresent(value -> tx.delete(Keys.directoryEntry(m.orgId(), term.name(), value, m.userId()))
                    .label("directory entry").add());
        }
    }

    /**
     * Entries whose {@code terms} start with {@code prefix} (normalised), one term after the other: e-mails first,
     * then names (skipping members whose e-mail matched: already listed), each in key order. The cursor is
     * {@code {TERM}.{the list cursor}}; a page may hold fewer than {@code limit} hits (the name phase skips).
     */
    public Page<DirectoryHit> searchDirectory(String orgId, String prefix, List<Directory.Term> terms, Optional<String> cursor, int limit) {
        int phase = 0;
        Optional<String> inner = Optional.empty();
        if (cursor.isPresent()) {
            int dot = cursor.get().indexOf('.');
            Optional<Directory.Term> term = dot < 0 ? Optional.empty()
                    : terms.stream().filter(t -> t.name().equals(cursor.get().substring(0, dot))).findFirst();
            if (term.isEmpty()) {
                throw new com.enterpriseadmin.error.DomainException.InvalidInput("invalid-cursor", "cursor", "the cursor is not one this list issued");
            }
            phase = terms.indexOf(term.get());
            inner = Optional.of(cursor.get().substring(dot + 1)).filter(c -> !c.isEmpty());
        }
        Directory.Term term = terms.get(phase);
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(db.table())
                .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(Keys.directory(orgId)),
                        ":prefix", AttributeValue.fromS(Keys.directoryPrefix(term.name(), Directory.keyPart(prefix)))))
                .consistentRead(true);
        Page<Map<String, AttributeValue>> raw = Lists.query(db, query, Lists.Scope.table(Keys.directory(orgId)), inner, limit, false);
        boolean skipEmailMatches = term == Directory.Term.NAME && terms.contains(Directory.Term.EMAIL);
        List<DirectoryHit> hits = raw.items().stream()
                .map(i -> new DirectoryHit(Item.str(i, "userId"), Item.str(i, "email"), Item.str(i, "name")))
                .filter(h -> Directory.normalise(term == Directory.Term.EMAIL ? h.email() : h.name()).startsWith(prefix))
                .filter(h -> !(skipEmailMatches && h.email() != null && Directory.normalise(h.email()).startsWith(prefix)))
                .toList();
        int following = phase + 1;
        Optional<String> next = raw.nextCursor().map(c -> term.name() + "." + c)
                .or(() -> following < terms.size() ? Optional.of(terms.get(following).name() + ".") : Optional.empty());
        return new Page<>(hits, next);
    }

    /** Memberships by user id (consistent BatchGetItem); absent ones are absent. */
    public Map<String, Membership> memberships(String orgId, java.util.Collection<String> userIds) {
        Map<String, Membership> out = new HashMap<>();
        db.batchGet(userIds.stream().map(id -> Keys.membership(orgId, id)).toList(), true).values()
                .forEach(item -> out.put(Item.str(item, "userId"), memberFromItem(item)));
        return out;
    }

    /**
     * Writes the directory entries of one existing member (the backfill of members who joined before the directory),
     * conditioned on the membership as read ({@code version}): a member removed meanwhile gets none. False: it changed.
     */
    public boolean backfillDirectory(Membership m) {
        Tx tx = db.tx();
        Tx.Action check = tx.check(Keys.membership(m.orgId(), m.userId())).when("version = :v").value(":v", m.version())
                .label("membership").add();
        directoryEntries(m).forEach(item -> tx.put(item).label("directory entry").add());
        return tx.commit().committedUnlessRaced(check);
    }

    /**
     * Operator ownership transfer: update org owner if its ownerId and version match, old owner
     * OWNER→ADMIN, new owner (ACTIVE, version match) →OWNER, put audit.
     */
    public boolean transferOwnership(Organization org, Membership oldOwner, Membership newOwner, Instant at, AuditEntry entry) {
        String when = Ids.at(at);
        Tx tx = db.tx();
        Tx.Action owner = tx.update(Keys.organization(org.orgId()))
                .set("ownerId = :new").set("updatedAt = :at").set("version = version + :one")
                .when("version = :v AND ownerId = :old")
                .value(":new", newOwner.userId()).value(":old", oldOwner.userId()).value(":at", when).value(":one", 1)
                .value(":v", org.version())
                .label("organization owner").add();
        Tx.Action demoted = setRole(tx, oldOwner, OrgRole.ADMIN, when);
        Tx.Action promoted = setRole(tx, newOwner, OrgRole.OWNER, when);
        audit.record(tx, entry);
        return tx.commit().committedUnlessRaced(owner, demoted, promoted);
    }

    private static Tx.Action setRole(Tx tx, Membership m, OrgRole role, String when) {
        return tx.update(Keys.membership(m.orgId(), m.userId()))
                .set("#role = :role").set("updatedAt = :at").set("version = version + :one")
                .when("version = :v AND #status = :active")
                .name("#role", "role").name("#status", "status")
                .value(":role", role.name()).value(":at", when).value(":one", 1).value(":v", m.version())
                .value(":active", MemberStatus.ACTIVE.name())
                .label("membership " + role).add();
    }

    // ------------------------------------------------------------------ mapping

    static Map<String, AttributeValue> orgToItem(Organization o) {
        return Item.of(Keys.organization(o.orgId()), ORG_TYPE)
                .s(Keys.GSI1PK, Keys.ORGANIZATIONS_INDEX)
                .s(Keys.GSI1SK, o.orgId())
                .s("orgId", o.orgId())
                .s("name", o.name())
                .s("ownerId", o.ownerId())
                .s("createdAt", Ids.at(o.createdAt()))
                .s("updatedAt", Ids.at(o.updatedAt()))
                .n("version", o.version())
                .build();
    }

    static final String DIRECTORY_TYPE = "DIRECTORY_ENTRY";

    static Organization orgFromItem(Map<String, AttributeValue> item) {
        return new Organization(Item.str(item, "orgId"), Item.str(item, "name"), Item.str(item, "ownerId"),
                Item.time(item, "createdAt"), Item.time(item, "updatedAt"), Item.num(item, "version"));
    }

    public static Map<String, AttributeValue> memberToItem(Membership m) {
        Map<String, String> teams = new HashMap<>();
        m.teams().forEach((team, role) -> teams.put(team, role.name()));
        return Item.of(Keys.membership(m.orgId(), m.userId()), MEMBER_TYPE)
                .s("orgId", m.orgId())
                .s("userId", m.userId())
                .s("email", m.email())
                .s("name", m.name())
                .s("role", m.role().name())
                .s("status", m.status().name())
                .map("teams", teams)
                .s("joinedAt", Ids.at(m.joinedAt()))
                .s("updatedAt", Ids.at(m.updatedAt()))
                .n("version", m.version())
                .s(Keys.GSI1PK, Keys.userIndex(m.userId()))
                .s(Keys.GSI1SK, Keys.org(m.orgId()))
                .build();
    }

    public static Membership memberFromItem(Map<String, AttributeValue> item) {
        Map<String, TeamRole> teams = new HashMap<>();
        Item.map(item, "teams").forEach((team, role) -> {
            if (role != null) {
                teams.put(team, TeamRole.valueOf(role));
            }
        });
        return new Membership(
                Item.str(item, "orgId"),
                Item.str(item, "userId"),
                Item.str(item, "email"),
                Item.str(item, "name"),
                OrgRole.valueOf(Item.str(item, "role")),
                MemberStatus.valueOf(Item.str(item, "status")),
                teams,
                Item.time(item, "joinedAt"),
                Item.time(item, "updatedAt"),
                Item.num(item, "version"));
    }
}
