package com.enterpriseadmin.team;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.store.Lists;
import com.enterpriseadmin.store.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Teams, team-name locks and team members (key design in {@link Keys} and {@code docs/key-design.md}).
 * Every write is one {@code TransactWriteItems} that also puts its audit entry. Write methods return
 * the cancellation reasons ({@code empty} = committed); the use cases turn them into domain errors or
 * retries, so this class knows no HTTP.
 *
 * <p>Invariant kept by every transaction here (and by the org-removal cascade): a team-member item
 * exists iff the member's org membership exists and its {@code teams} map has that team; and the
 * membership {@code version} increases with every such change, so the org's version-conditioned
 * removal cannot miss a seat added concurrently.
 */
public final class TeamStore {
    static final String NAME_TYPE = "TEAM_NAME";
    static final String MEMBER_TYPE = "TEAM_MEMBER";
    private static final AttributeValue ONE = AttributeValue.fromN("1");

    private final Db db;
    private final AuditStore audit;

    public TeamStore(Db db, AuditStore audit) {
        this.db = db;
        this.audit = audit;
    }

    public Db db() { return db; }

    // ------------------------------------------------------------------ teams

    public Optional<Team> team(String orgId, String teamId) {
        return db.get(Keys.team(orgId, teamId)).map(TeamItems::fromItem);
    }

    /** Which teams a list shows. */
    public enum ArchivedFilter { FALSE, TRUE, ALL }

    /** The organization's teams in id order; {@code filter} selects active, archived or all. */
    public Page<Team> teams(String orgId, ArchivedFilter filter, Optional<String> cursor, int limit) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", AttributeValue.fromS(Keys.org(orgId)));
        values.put(":team", AttributeValue.fromS(Keys.TEAM_PREFIX));
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(db.table())
                .keyConditionExpression("PK = :pk AND begins_with(SK, :team)")
                .consistentRead(true);
        if (filter != ArchivedFilter.ALL) {
            values.put(":status", AttributeValue.fromS((filter == ArchivedFilter.TRUE ? Team.Status.ARCHIVED : Team.Status.ACTIVE).name()));
            query.filterExpression("#status = :status").expressionAttributeNames(Map.of("#status", TeamItems.STATUS));
        }
        query.expressionAttributeValues(values);
        return Lists.query(db, query, Lists.Scope.table(Keys.org(orgId)), cursor, limit, filter != ArchivedFilter.ALL)
                .map(TeamItems::fromItem);
    }

    /** Names of teams by id, for {@code /v1/me} (consistent reads; absent teams are left out). */
    public Map<String, Team> teamsById(String orgId, Iterable<String> teamIds) {
        Map<String, Team> out = new HashMap<>();
        for (String teamId : teamIds) {
            team(orgId, teamId).ifPresent(t -> out.put(teamId, t));
        }
        return out;
    }

    /** Create: [0 put team, 1 put name lock, 2 put audit] — all create-if-absent. */
    TxOutcome create(String orgId, String teamId, TeamName name, Budget budget, Instant now, AuditEntry entry) {
        return outcome(db.transact(List.of(
                putNew(TeamItems.newTeam(orgId, teamId, name.display(), name.key(), budget, now)),
                putNew(nameLock(orgId, name, teamId)),
                audit.put(entry))));
    }

    /**
     * Rename and/or (un)archive: [0 update team if version matches, (1 delete old name lock, 2 put new
     * name lock) when the name key changes, ...extra (archive cascade), audit].
     */
    TxOutcome update(Team before, Optional<TeamName> newName, Optional<Team.Status> newStatus,
                                           Instant now, List<TransactWriteItem> extra, AuditEntry entry) {
        List<String> sets = new ArrayList<>(List.of("version = version + :one", "updatedAt = :now"));
        List<String> removes = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":one", ONE);
        values.put(":now", AttributeValue.fromS(Ids.at(now)));
        values.put(":v", AttributeValue.fromN(Long.toString(before.version())));
        if (newName.isPresent()) {
            sets.add("#name = :name");
            sets.add("nameKey = :nameKey");
            names.put("#name", "name");
            values.put(":name", AttributeValue.fromS(newName.get().display()));
            values.put(":nameKey", AttributeValue.fromS(newName.get().key()));
        }
        if (newStatus.isPresent()) {
            sets.add("#status = :status");
            names.put("#status", TeamItems.STATUS);
            values.put(":status", AttributeValue.fromS(newStatus.get().name()));
            if (newStatus.get() == Team.Status.ARCHIVED) {
                sets.add("archivedAt = :now");
            } else {
                removes.add("archivedAt");
            }
        }
        Update.Builder update = Update.builder()
                .tableName(db.table())
                .key(Keys.team(before.orgId(), before.teamId()).toMap())
                .updateExpression("SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes)))
                .conditionExpression("version = :v")
                .expressionAttributeValues(values);
        if (!names.isEmpty()) {
            update.expressionAttributeNames(names);
        }
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(TransactWriteItem.builder().update(update.build()).build());
        String oldKey = TeamName.keyOf(before.name());
        if (newName.isPresent() && !newName.get().key().equals(oldKey)) {
            actions.add(TransactWriteItem.builder().delete(Delete.builder()
                    .tableName(db.table())
                    .key(Keys.teamName(before.orgId(), oldKey).toMap())
                    .conditionExpression("teamId = :team")
                    .expressionAttributeValues(Map.of(":team", AttributeValue.fromS(before.teamId())))
                    .build()).build());
            actions.add(putNew(nameLock(before.orgId(), newName.get(), before.teamId())));
        }
        actions.addAll(extra);
        actions.add(audit.put(entry));
        return outcome(db.transact(actions));
    }

    /** Index of the new-name Put in an {@link #update} that renames (for reading cancellation reasons). */
    static final int NEW_NAME_LOCK = 2;

    // ------------------------------------------------------------------ members

    /**
     * The user id of the signed-up user with this (normalised) e-mail, from the profile's GSI1 entry
     * ({@code EMAIL#{email} / USER}). Eventually consistent, which is fine: the add transaction checks
     * the org membership itself.
     */
    public Optional<String> userIdByEmail(String email) {
        QueryResponse response = db.client().query(QueryRequest.builder()
                .tableName(db.table())
                .indexName(Keys.GSI1)
                .keyConditionExpression("GSI1PK = :pk AND GSI1SK = :user")
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(Keys.emailIndex(email)),
                        ":user", AttributeValue.fromS("USER")))
                .limit(1)
                .build());
        return response.items().stream().findFirst().map(i -> Item.str(i, "userId"));
    }

    public Optional<TeamMember> member(String orgId, String teamId, String userId) {
        return db.get(Keys.teamMember(orgId, teamId, userId)).map(TeamStore::memberFromItem);
    }

    /** The team's members in user-id order. */
    public Page<TeamMember> members(String orgId, String teamId, Optional<String> cursor, int limit) {
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(db.table())
                .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(Keys.org(orgId)),
                        ":prefix", AttributeValue.fromS(Keys.teamMembersPrefix(teamId))))
                .consistentRead(true);
        return Lists.query(db, query, Lists.Scope.table(Keys.org(orgId)), cursor, limit, false).map(TeamStore::memberFromItem);
    }

    /** How many team ADMINs the team has (consistent read of all its seats). */
    public long adminCount(String orgId, String teamId) {
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder q = QueryRequest.builder()
                    .tableName(db.table())
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                    .filterExpression("#role = :admin")
                    .expressionAttributeNames(Map.of("#role", "role"))
                    .expressionAttributeValues(Map.of(
                            ":pk", AttributeValue.fromS(Keys.org(orgId)),
                            ":prefix", AttributeValue.fromS(Keys.teamMembersPrefix(teamId)),
                            ":admin", AttributeValue.fromS(TeamRole.ADMIN.name())))
                    .select(Select.COUNT)
                    .consistentRead(true);
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse response = db.client().query(q.build());
            count += response.count();
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    /** Action indexes of {@link #addMember}. */
    static final int ADD_SEAT = 0, ADD_MEMBERSHIP = 1, ADD_TEAM = 2;

    /**
     * Add a seat: [0 put team member (absent), 1 update org membership {@code teams.#t = role, version + 1}
     * if it exists, is ACTIVE and holds fewer than {@code maxTeams} teams, 2 update team
     * {@code memberCount + 1} if ACTIVE, 3 put audit].
     */
    TxOutcome addMember(TeamMember seat, int maxTeams, AuditEntry entry) {
        return outcome(db.transact(List.of(
                putNew(memberToItem(seat)),
                membershipSetTeam(seat.orgId(), seat.userId(), seat.teamId(), seat.role(), seat.addedAt(), maxTeams),
                teamCount(seat.orgId(), seat.teamId(), +1, true),
                audit.put(entry))));
    }

    /** Change a seat's role: [0 update team member if it exists, 1 update membership map entry if present, 2 put audit]. */
    TxOutcome changeRole(TeamMember before, TeamRole role, Instant now, AuditEntry entry) {
        TransactWriteItem seat = TransactWriteItem.builder().update(Update.builder()
                .tableName(db.table())
                .key(Keys.teamMember(before.orgId(), before.teamId(), before.userId()).toMap())
                .updateExpression("SET #role = :role, updatedAt = :now, version = version + :one")
                .conditionExpression("attribute_exists(PK) AND version = :v")
                .expressionAttributeNames(Map.of("#role", "role"))
                .expressionAttributeValues(Map.of(
                        ":role", AttributeValue.fromS(role.name()),
                        ":now", AttributeValue.fromS(Ids.at(now)),
                        ":one", ONE,
                        ":v", AttributeValue.fromN(Long.toString(before.version()))))
                .build()).build();
        TransactWriteItem membership = TransactWriteItem.builder().update(Update.builder()
                .tableName(db.table())
                .key(Keys.membership(before.orgId(), before.userId()).toMap())
                .updateExpression("SET teams.#team = :role, updatedAt = :now, version = version + :one")
                .conditionExpression("attribute_exists(teams.#team)")
                .expressionAttributeNames(Map.of("#team", before.teamId()))
                .expressionAttributeValues(Map.of(
                        ":role", AttributeValue.fromS(role.name()),
                        ":now", AttributeValue.fromS(Ids.at(now)),
                        ":one", ONE))
                .build()).build();
        return outcome(db.transact(List.of(seat, membership, audit.put(entry))));
    }

    /** Remove a seat: [0 delete team member if version matches, 1 remove the membership map entry, 2 team memberCount − 1, 3 put audit]. */
    TxOutcome removeMember(TeamMember seat, Instant now, AuditEntry entry) {
        TransactWriteItem delete = TransactWriteItem.builder().delete(Delete.builder()
                .tableName(db.table())
                .key(Keys.teamMember(seat.orgId(), seat.teamId(), seat.userId()).toMap())
                .conditionExpression("version = :v")
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(seat.version()))))
                .build()).build();
        TransactWriteItem membership = TransactWriteItem.builder().update(Update.builder()
                .tableName(db.table())
                .key(Keys.membership(seat.orgId(), seat.userId()).toMap())
                .updateExpression("REMOVE teams.#team SET updatedAt = :now, version = version + :one")
                .conditionExpression("attribute_exists(teams.#team)")
                .expressionAttributeNames(Map.of("#team", seat.teamId()))
                .expressionAttributeValues(Map.of(":now", AttributeValue.fromS(Ids.at(now)), ":one", ONE))
                .build()).build();
        return outcome(db.transact(List.of(delete, membership, teamCount(seat.orgId(), seat.teamId(), -1, false), audit.put(entry))));
    }

    // ------------------------------------------------------------------ cascades (other features' transactions)

    /**
     * For the org-removal transaction of a member holding {@code teamIds}: per team, delete the seat
     * (it must exist: the membership's map and the seats change together) and decrement the team's
     * {@code memberCount}. Two actions per team.
     */
    public List<TransactWriteItem> seatRemovals(String orgId, String userId, Iterable<String> teamIds) {
        List<TransactWriteItem> out = new ArrayList<>();
        for (String teamId : teamIds) {
            out.add(TransactWriteItem.builder().delete(Delete.builder()
                    .tableName(db.table())
                    .key(Keys.teamMember(orgId, teamId, userId).toMap())
                    .conditionExpression("attribute_exists(PK)")
                    .build()).build());
            out.add(teamCount(orgId, teamId, -1, false));
        }
        return out;
    }

    /**
     * For the invitation-accept transaction: per team, put the new seat (absent) and increment the
     * team's {@code memberCount} on condition it is ACTIVE. The accepted membership must be written
     * with the same teams in its {@code teams} map. Two actions per team.
     */
    public List<TransactWriteItem> seatCreations(List<TeamMember> seats) {
        List<TransactWriteItem> out = new ArrayList<>();
        for (TeamMember seat : seats) {
            out.add(putNew(memberToItem(seat)));
            out.add(teamCount(seat.orgId(), seat.teamId(), +1, true));
        }
        return out;
    }

    // ------------------------------------------------------------------ building blocks

    private static TxOutcome outcome(List<CancellationReason> reasons) {
        return reasons.isEmpty() ? TxOutcome.COMMITTED : new TxOutcome(reasons.stream().map(CancellationReason::code).toList());
    }

    private TransactWriteItem membershipSetTeam(String orgId, String userId, String teamId, TeamRole role, Instant now, int maxTeams) {
        return TransactWriteItem.builder().update(Update.builder()
                .tableName(db.table())
                .key(Keys.membership(orgId, userId).toMap())
                .updateExpression("SET teams.#team = :role, updatedAt = :now, version = version + :one")
                .conditionExpression("attribute_exists(PK) AND #status = :active AND size(teams) < :max")
                .expressionAttributeNames(Map.of("#team", teamId, "#status", "status"))
                .expressionAttributeValues(Map.of(
                        ":role", AttributeValue.fromS(role.name()),
                        ":now", AttributeValue.fromS(Ids.at(now)),
                        ":one", ONE,
                        ":active", AttributeValue.fromS(MemberStatus.ACTIVE.name()),
                        ":max", AttributeValue.fromN(Integer.toString(maxTeams))))
                .build()).build();
    }

    private TransactWriteItem teamCount(String orgId, String teamId, int delta, boolean requireActive) {
        Update.Builder update = Update.builder()
                .tableName(db.table())
                .key(Keys.team(orgId, teamId).toMap())
                .updateExpression("SET " + TeamItems.MEMBER_COUNT + " = " + TeamItems.MEMBER_COUNT + (delta > 0 ? " + " : " - ") + ":one");
        if (requireActive) {
            update.conditionExpression("#status = :active")
                    .expressionAttributeNames(Map.of("#status", TeamItems.STATUS))
                    .expressionAttributeValues(Map.of(":one", ONE, ":active", AttributeValue.fromS(Team.Status.ACTIVE.name())));
        } else {
            update.conditionExpression("attribute_exists(PK)")
                    .expressionAttributeValues(Map.of(":one", ONE));
        }
        return TransactWriteItem.builder().update(update.build()).build();
    }

    private TransactWriteItem putNew(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder()
                .tableName(db.table())
                .item(item)
                .conditionExpression("attribute_not_exists(PK)")
                .build()).build();
    }

    // ------------------------------------------------------------------ mapping

    static Map<String, AttributeValue> nameLock(String orgId, TeamName name, String teamId) {
        return Item.of(Keys.teamName(orgId, name.key()), NAME_TYPE)
                .s("orgId", orgId)
                .s("teamId", teamId)
                .s("name", name.display())
                .build();
    }

    static Map<String, AttributeValue> memberToItem(TeamMember m) {
        Key key = Keys.teamMember(m.orgId(), m.teamId(), m.userId());
        return Item.of(key, MEMBER_TYPE)
                .s("orgId", m.orgId())
                .s("teamId", m.teamId())
                .s("userId", m.userId())
                .s("email", m.email())
                .s("name", m.name())
                .s("role", m.role().name())
                .s("addedBy", m.addedBy())
                .s("addedAt", Ids.at(m.addedAt()))
                .s("updatedAt", Ids.at(m.updatedAt()))
                .n("version", m.version())
                .build();
    }

    static TeamMember memberFromItem(Map<String, AttributeValue> item) {
        return new TeamMember(
                Item.str(item, "orgId"),
                Item.str(item, "teamId"),
                Item.str(item, "userId"),
                Item.str(item, "email"),
                Item.str(item, "name"),
                TeamRole.valueOf(Item.str(item, "role")),
                Item.str(item, "addedBy"),
                Item.time(item, "addedAt"),
                Item.time(item, "updatedAt"),
                Item.num(item, "version"));
    }
}
