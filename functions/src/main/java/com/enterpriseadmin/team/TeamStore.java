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
import com.enterpriseadmin.store.Tx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Teams, team-name locks and team members (key design in {@link Keys} and {@code docs/key-design.md}).
 * Every write is one transaction that also puts its audit entry. Write methods answer what happened in
 * domain terms (a refusal the use case explains, or a lost race to retry); a cancellation no rule
 * explains is a defect and throws. This class knows no HTTP.
 *
 * <p>Invariant kept by every transaction here (and by the org-removal cascade): a team-member item
 * exists iff the member's org membership exists and its {@code teams} map has that team; and the
 * membership {@code version} increases with every such change, so the org's version-conditioned
 * removal cannot miss a seat added concurrently.
 */
public final class TeamStore {
    static final String NAME_TYPE = "TEAM_NAME";
    static final String MEMBER_TYPE = "TEAM_MEMBER";

    /** What a create did. */
    enum Created { DONE, NAME_TAKEN, RETRY }

    /** What a rename / (un)archive did; {@code VERSION_CHANGED}: the team moved since it was read. */
    enum Updated { DONE, NAME_TAKEN, VERSION_CHANGED, RETRY }

    /** What adding a seat did; {@code MEMBERSHIP_REFUSED}: the org membership is gone, suspended or full. */
    enum SeatAdded { DONE, ALREADY_SEATED, TEAM_ARCHIVED, MEMBERSHIP_REFUSED, RETRY }

    private final Db db;
    private final AuditStore audit;

    public TeamStore(Db db, AuditStore audit) {
        this.db = db;
        this.audit = audit;
    }

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

    /** Create: put team, put name lock (both create-if-absent), put audit. */
    Created create(String orgId, String teamId, TeamName name, Budget budget, Instant now, AuditEntry entry) {
        Tx tx = db.tx();
        tx.put(TeamItems.newTeam(orgId, teamId, name.display(), name.key(), budget, now)).ifAbsent().label("team").add();
        Tx.Action lock = tx.put(nameLock(orgId, name, teamId)).ifAbsent().label("team-name lock").add();
        audit.record(tx, entry);
        Tx.Result r = tx.commit();
        if (r.committed()) {
            return Created.DONE;
        }
        if (r.failed(lock)) {
            return Created.NAME_TAKEN;
        }
        if (r.contended()) {
            return Created.RETRY;
        }
        throw r.unexpected();
    }

    /**
     * Rename and/or (un)archive: update the team if its version matches; when the name key changes,
     * delete the old name lock (still naming this team) and put the new one (absent); put audit.
     */
    Updated update(Team before, Optional<TeamName> newName, Optional<Team.Status> newStatus, Instant now, AuditEntry entry) {
        Tx tx = db.tx();
        Tx.Write team = tx.update(Keys.team(before.orgId(), before.teamId()))
                .set("version = version + :one").set("updatedAt = :now")
                .when("version = :v")
                .value(":one", 1).value(":now", Ids.at(now)).value(":v", before.version())
                .label("team version");
        if (newName.isPresent()) {
            team.set("#name = :name").set("nameKey = :nameKey")
                    .name("#name", "name").value(":name", newName.get().display()).value(":nameKey", newName.get().key());
        }
        if (newStatus.isPresent()) {
            team.set("#status = :status").name("#status", TeamItems.STATUS).value(":status", newStatus.get().name());
            if (newStatus.get() == Team.Status.ARCHIVED) {
                team.set("archivedAt = :now");
            } else {
                team.remove("archivedAt");
            }
        }
        Tx.Action version = team.add();
        Optional<Tx.Action> newLock = Optional.empty();
        String oldKey = TeamName.keyOf(before.name());
        if (newName.isPresent() && !newName.get().key().equals(oldKey)) {
            tx.delete(Keys.teamName(before.orgId(), oldKey)).when("teamId = :team").value(":team", before.teamId())
                    .label("old team-name lock").add();
            newLock = Optional.of(tx.put(nameLock(before.orgId(), newName.get(), before.teamId())).ifAbsent().label("new team-name lock").add());
        }
        audit.record(tx, entry);
        Tx.Result r = tx.commit();
        if (r.committed()) {
            return Updated.DONE;
        }
        if (newLock.isPresent() && r.failed(newLock.get())) {
            return Updated.NAME_TAKEN;
        }
        if (r.failed(version)) {
            return Updated.VERSION_CHANGED;
        }
        if (r.contended()) {
            return Updated.RETRY;
        }
        throw r.unexpected();
    }

    // ------------------------------------------------------------------ members

    /**
     * The user id of the signed-up user with this (normalised) e-mail, from the profile's GSI1 entry
     * ({@code EMAIL#{email} / USER}). Eventually consistent, which is fine: the add transaction checks
     * the org membership itself.
     */
    public Optional<String> userIdByEmail(String email) {
        return db.queryAll(QueryRequest.builder()
                        .indexName(Keys.GSI1)
                        .keyConditionExpression("GSI1PK = :pk AND GSI1SK = :user")
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.fromS(Keys.emailIndex(email)),
                                ":user", AttributeValue.fromS("USER")))
                        .limit(1))
                .findFirst().map(i -> Item.str(i, "userId"));
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
        return db.count(QueryRequest.builder()
                .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                .filterExpression("#role = :admin")
                .expressionAttributeNames(Map.of("#role", "role"))
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(Keys.org(orgId)),
                        ":prefix", AttributeValue.fromS(Keys.teamMembersPrefix(teamId)),
                        ":admin", AttributeValue.fromS(TeamRole.ADMIN.name())))
                .consistentRead(true));
    }

    /**
     * Add a seat: put the team member (absent); set {@code teams.#t = role, version + 1} on the org
     * membership if it exists, is ACTIVE and holds fewer than {@code maxTeams} teams; team
     * {@code memberCount + 1} if ACTIVE; put audit.
     */
    SeatAdded addMember(TeamMember seat, int maxTeams, AuditEntry entry) {
        Tx tx = db.tx();
        Tx.Action put = tx.put(memberToItem(seat)).ifAbsent().label("seat").add();
        Tx.Action membership = tx.update(Keys.membership(seat.orgId(), seat.userId()))
                .set("teams.#team = :role").set("updatedAt = :now").set("version = version + :one")
                .when("attribute_exists(PK) AND #status = :active AND size(teams) < :max")
                .name("#team", seat.teamId()).name("#status", "status")
                .value(":role", seat.role().name()).value(":now", Ids.at(seat.addedAt())).value(":one", 1)
                .value(":active", MemberStatus.ACTIVE.name()).value(":max", maxTeams)
                .label("org membership").add();
        Tx.Action team = memberCount(tx, seat.orgId(), seat.teamId(), +1);
        audit.record(tx, entry);
        Tx.Result r = tx.commit();
        if (r.committed()) {
            return SeatAdded.DONE;
        }
        if (r.failed(put)) {
            return SeatAdded.ALREADY_SEATED;
        }
        if (r.failed(team)) {
            return SeatAdded.TEAM_ARCHIVED;
        }
        if (r.failed(membership)) {
            return SeatAdded.MEMBERSHIP_REFUSED;
        }
        if (r.contended()) {
            return SeatAdded.RETRY;
        }
        throw r.unexpected();
    }

    /**
     * Change a seat's role: update the team member if its version matches, the membership's map entry
     * if present, put audit. False: the seat changed or went meanwhile (re-read and retry).
     */
    boolean changeRole(TeamMember before, TeamRole role, Instant now, AuditEntry entry) {
        Tx tx = db.tx();
        Tx.Action seat = tx.update(Keys.teamMember(before.orgId(), before.teamId(), before.userId()))
                .set("#role = :role").set("updatedAt = :now").set("version = version + :one")
                .when("attribute_exists(PK) AND version = :v")
                .name("#role", "role")
                .value(":role", role.name()).value(":now", Ids.at(now)).value(":one", 1).value(":v", before.version())
                .label("seat").add();
        Tx.Action membership = tx.update(Keys.membership(before.orgId(), before.userId()))
                .set("teams.#team = :role").set("updatedAt = :now").set("version = version + :one")
                .when("attribute_exists(teams.#team)")
                .name("#team", before.teamId())
                .value(":role", role.name()).value(":now", Ids.at(now)).value(":one", 1)
                .label("org membership").add();
        audit.record(tx, entry);
        return tx.commit().committedUnlessRaced(seat, membership);
    }

    /**
     * Remove a seat: delete the team member if its version matches, remove the membership's map entry,
     * team {@code memberCount − 1}, put audit. False: the seat changed or went meanwhile.
     */
    boolean removeMember(TeamMember seat, Instant now, AuditEntry entry) {
        Tx tx = db.tx();
        Tx.Action delete = tx.delete(Keys.teamMember(seat.orgId(), seat.teamId(), seat.userId()))
                .when("version = :v").value(":v", seat.version()).label("seat").add();
        Tx.Action membership = tx.update(Keys.membership(seat.orgId(), seat.userId()))
                .remove("teams.#team").set("updatedAt = :now").set("version = version + :one")
                .when("attribute_exists(teams.#team)")
                .name("#team", seat.teamId()).value(":now", Ids.at(now)).value(":one", 1)
                .label("org membership").add();
        memberCount(tx, seat.orgId(), seat.teamId(), -1);
        audit.record(tx, entry);
        return tx.commit().committedUnlessRaced(delete, membership);
    }

    // ------------------------------------------------------------------ cascades (other features' transactions)

    /**
     * Adds to the org-removal transaction of a member holding {@code teamIds}, per team: delete the seat
     * (it must exist: the membership's map and the seats change together) and decrement the team's
     * {@code memberCount}. Two actions per team.
     */
    public void addSeatRemovals(Tx tx, String orgId, String userId, Iterable<String> teamIds) {
        for (String teamId : teamIds) {
            tx.delete(Keys.teamMember(orgId, teamId, userId)).ifExists().label("seat " + teamId).add();
            memberCount(tx, orgId, teamId, -1);
        }
    }

    /**
     * Adds to the invitation-accept transaction, per seat: put it (absent) and increment the team's
     * {@code memberCount} on condition it is ACTIVE. The accepted membership must be written with the
     * same teams in its {@code teams} map. Returns the actions, any of which may refuse the accept.
     */
    public List<Tx.Action> addSeatCreations(Tx tx, List<TeamMember> seats) {
        List<Tx.Action> actions = new ArrayList<>();
        for (TeamMember seat : seats) {
            actions.add(tx.put(memberToItem(seat)).ifAbsent().label("seat " + seat.teamId()).add());
            actions.add(memberCount(tx, seat.orgId(), seat.teamId(), +1));
        }
        return actions;
    }

    // ------------------------------------------------------------------ building blocks

    /** {@code memberCount ± 1}: an increment needs an ACTIVE team, a decrement only an existing one. */
    private static Tx.Action memberCount(Tx tx, String orgId, String teamId, int delta) {
        Tx.Write update = tx.update(Keys.team(orgId, teamId))
                .set(TeamItems.MEMBER_COUNT + " = " + TeamItems.MEMBER_COUNT + (delta > 0 ? " + " : " - ") + ":one")
                .value(":one", 1)
                .label("team memberCount " + teamId);
        if (delta > 0) {
            update.when("#status = :active").name("#status", TeamItems.STATUS).value(":active", Team.Status.ACTIVE.name());
        } else {
            update.ifExists();
        }
        return update.add();
    }

    // ------------------------------------------------------------------ mapping

    static Map<String, AttributeValue> nameLock(String orgId, TeamName name, String teamId) {
        return Item.of(Keys.teamName(orgId, name.key()), NAME_TYPE)
                .s("orgId", orgId)
                .s("teamId", teamId)
                .s("name", name.display())
                .build();
    }

    public static Map<String, AttributeValue> memberToItem(TeamMember m) {
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
