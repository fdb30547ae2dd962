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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Organizations ({@code ORG#{orgId} / ORG}) and memberships ({@code ORG#{orgId} / MEMBER#{userId}},
 * on GSI1 as {@code USER#{userId} / ORG#{orgId}}). Every write is a transaction that also puts the
 * audit entry; membership writes are conditioned on the membership's {@code version}. Methods that
 * return {@code false} lost an optimistic race: the caller re-reads and tries again.
 */
public final class OrganizationStore implements Policy.Memberships {
    public static final String ORG_TYPE = "ORGANIZATION";
    static final String MEMBER_TYPE = "MEMBERSHIP";

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
        List<Membership> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder q = QueryRequest.builder()
                    .tableName(db.table())
                    .indexName(Keys.GSI1)
                    .keyConditionExpression("GSI1PK = :pk AND begins_with(GSI1SK, :org)")
                    .expressionAttributeValues(Map.of(
                            ":pk", AttributeValue.fromS(Keys.userIndex(userId)),
                            ":org", AttributeValue.fromS(Keys.org(""))));
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            var response = db.client().query(q.build());
            response.items().forEach(i -> out.add(memberFromItem(i)));
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
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

    /** Creates the organization and its owner's membership: [put org, put owner membership, put audit]. */
    public void create(Organization org, Membership owner, AuditEntry entry) {
        List<CancellationReason> reasons = db.transact(List.of(
                putNew(orgToItem(org)),
                putNew(memberToItem(owner)),
                audit.put(entry)));
        if (!reasons.isEmpty()) {
            if (Db.onlyConflicts(reasons)) {
                throw new DomainException.Busy("the organization is busy; retry the request");
            }
            throw new IllegalStateException("organization create cancelled: " + codes(reasons));
        }
    }

    /** Renames: [update org if version matches, put audit]. */
    public boolean rename(Organization org, String newName, Instant at, AuditEntry entry) {
        TransactWriteItem update = TransactWriteItem.builder().update(Update.builder()
                .tableName(db.table())
                .key(Keys.organization(org.orgId()).toMap())
                .updateExpression("SET #name = :name, updatedAt = :at, version = version + :one")
                .conditionExpression("version = :v")
                .expressionAttributeNames(Map.of("#name", "name"))
                .expressionAttributeValues(Map.of(
                        ":name", AttributeValue.fromS(newName),
                        ":at", AttributeValue.fromS(Ids.at(at)),
                        ":one", AttributeValue.fromN("1"),
                        ":v", AttributeValue.fromN(Long.toString(org.version()))))
                .build()).build();
        return db.transact(List.of(update, audit.put(entry))).isEmpty();
    }

    /**
     * Changes a member's role and/or status: [update membership if version matches and not OWNER,
     * ...cascade items, put audit].
     */
    public boolean updateMember(Membership before, Membership after, List<TransactWriteItem> cascade, AuditEntry entry) {
        TransactWriteItem update = TransactWriteItem.builder().update(Update.builder()
                .tableName(db.table())
                .key(Keys.membership(before.orgId(), before.userId()).toMap())
                .updateExpression("SET #role = :role, #status = :status, updatedAt = :at, version = :next")
                .conditionExpression("version = :v AND #role <> :owner")
                .expressionAttributeNames(Map.of("#role", "role", "#status", "status"))
                .expressionAttributeValues(Map.of(
                        ":role", AttributeValue.fromS(after.role().name()),
                        ":status", AttributeValue.fromS(after.status().name()),
                        ":at", AttributeValue.fromS(Ids.at(after.updatedAt())),
                        ":next", AttributeValue.fromN(Long.toString(after.version())),
                        ":v", AttributeValue.fromN(Long.toString(before.version())),
                        ":owner", AttributeValue.fromS(OrgRole.OWNER.name())))
                .build()).build();
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(update);
        actions.addAll(cascade);
        actions.add(audit.put(entry));
        return db.transact(actions).isEmpty();
    }

    /** Removes a member: [delete membership if version matches and not OWNER, ...cascade items, put audit]. */
    public boolean removeMember(Membership member, List<TransactWriteItem> cascade, AuditEntry entry) {
        TransactWriteItem delete = TransactWriteItem.builder().delete(Delete.builder()
                .tableName(db.table())
                .key(Keys.membership(member.orgId(), member.userId()).toMap())
                .conditionExpression("version = :v AND #role <> :owner")
                .expressionAttributeNames(Map.of("#role", "role"))
                .expressionAttributeValues(Map.of(
                        ":v", AttributeValue.fromN(Long.toString(member.version())),
                        ":owner", AttributeValue.fromS(OrgRole.OWNER.name())))
                .build()).build();
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(delete);
        actions.addAll(cascade);
        actions.add(audit.put(entry));
        return db.transact(actions).isEmpty();
    }

    /** The Put of a new membership (create-if-absent), for the invitation-accept transaction. */
    public TransactWriteItem putNewMembership(Membership member) {
        return putNew(memberToItem(member));
    }

    /**
     * Operator ownership transfer: [update org owner if ownerId and version match, old owner
     * OWNER→ADMIN, new owner (ACTIVE, version match) →OWNER, put audit].
     */
    public boolean transferOwnership(Organization org, Membership oldOwner, Membership newOwner, Instant at, AuditEntry entry) {
        String when = Ids.at(at);
        TransactWriteItem orgUpdate = TransactWriteItem.builder().update(Update.builder()
                .tableName(db.table())
                .key(Keys.organization(org.orgId()).toMap())
                .updateExpression("SET ownerId = :new, updatedAt = :at, version = version + :one")
                .conditionExpression("version = :v AND ownerId = :old")
                .expressionAttributeValues(Map.of(
                        ":new", AttributeValue.fromS(newOwner.userId()),
                        ":old", AttributeValue.fromS(oldOwner.userId()),
                        ":at", AttributeValue.fromS(when),
                        ":one", AttributeValue.fromN("1"),
                        ":v", AttributeValue.fromN(Long.toString(org.version()))))
                .build()).build();
        return db.transact(List.of(
                orgUpdate,
                setRole(oldOwner, OrgRole.ADMIN, when),
                setRole(newOwner, OrgRole.OWNER, when),
                audit.put(entry))).isEmpty();
    }

    private TransactWriteItem setRole(Membership m, OrgRole role, String when) {
        return TransactWriteItem.builder().update(Update.builder()
                .tableName(db.table())
                .key(Keys.membership(m.orgId(), m.userId()).toMap())
                .updateExpression("SET #role = :role, updatedAt = :at, version = version + :one")
                .conditionExpression("version = :v AND #status = :active")
                .expressionAttributeNames(Map.of("#role", "role", "#status", "status"))
                .expressionAttributeValues(Map.of(
                        ":role", AttributeValue.fromS(role.name()),
                        ":at", AttributeValue.fromS(when),
                        ":one", AttributeValue.fromN("1"),
                        ":v", AttributeValue.fromN(Long.toString(m.version())),
                        ":active", AttributeValue.fromS(MemberStatus.ACTIVE.name())))
                .build()).build();
    }

    private TransactWriteItem putNew(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder()
                .tableName(db.table())
                .item(item)
                .conditionExpression("attribute_not_exists(PK)")
                .build()).build();
    }

    private static String codes(List<CancellationReason> reasons) {
        return reasons.stream().map(CancellationReason::code).toList().toString();
    }

    // ------------------------------------------------------------------ mapping

    static Map<String, AttributeValue> orgToItem(Organization o) {
        return Item.of(Keys.organization(o.orgId()), ORG_TYPE)
                .s("orgId", o.orgId())
                .s("name", o.name())
                .s("ownerId", o.ownerId())
                .s("createdAt", Ids.at(o.createdAt()))
                .s("updatedAt", Ids.at(o.updatedAt()))
                .n("version", o.version())
                .build();
    }

    static Organization orgFromItem(Map<String, AttributeValue> item) {
        return new Organization(Item.str(item, "orgId"), Item.str(item, "name"), Item.str(item, "ownerId"),
                Item.time(item, "createdAt"), Item.time(item, "updatedAt"), Item.num(item, "version"));
    }

    static Map<String, AttributeValue> memberToItem(Membership m) {
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
