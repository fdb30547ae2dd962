package com.enterpriseadmin.team;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.http.Json;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TeamRequestsTest {
    private static final Json JSON = new Json();

    private static String field(String body, Class<?> type) {
        return assertThrows(InvalidInput.class, () -> JSON.readBody(body, type)).field();
    }

    @Test
    void createReadsNameAndBudget() {
        CreateTeamRequest r = JSON.readBody("{\"name\":\"  Design  \",\"budget\":{\"mode\":\"LIMITED\",\"limit\":5000,\"period\":\"MONTHLY\"}}", CreateTeamRequest.class);
        assertEquals("Design", r.name().display());
        assertEquals(Budget.Mode.LIMITED, r.budget().mode());
        assertEquals(5000L, r.budget().limit());
        assertEquals(Budget.Period.MONTHLY, r.budget().period());
        CreateTeamRequest pool = JSON.readBody("{\"name\":\"Pool\",\"budget\":{\"mode\":\"SHARED_POOL\"}}", CreateTeamRequest.class);
        assertEquals(Budget.Period.NONE, pool.budget().period());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"budget\":{\"mode\":\"SHARED_POOL\"}}|name",
            "{\"name\":\"  \",\"budget\":{\"mode\":\"SHARED_POOL\"}}|name",
            "{\"name\":42,\"budget\":{\"mode\":\"SHARED_POOL\"}}|name",
            "{\"name\":\"A\"}|budget",
            "{\"name\":\"A\",\"budget\":{}}|budget.mode",
            "{\"name\":\"A\",\"budget\":{\"mode\":\"UNLIMITED\"}}|budget.mode",
            "{\"name\":\"A\",\"budget\":{\"mode\":\"LIMITED\"}}|budget.limit",
            "{\"name\":\"A\",\"budget\":{\"mode\":\"LIMITED\",\"limit\":-1}}|budget.limit",
            "{\"name\":\"A\",\"budget\":{\"mode\":\"LIMITED\",\"limit\":1.5}}|budget.limit",
            "{\"name\":\"A\",\"budget\":{\"mode\":\"LIMITED\",\"limit\":\"10\"}}|budget.limit",
            "{\"name\":\"A\",\"budget\":{\"mode\":\"SHARED_POOL\",\"limit\":10}}|budget.limit",
            "{\"name\":\"A\",\"budget\":{\"mode\":\"LIMITED\",\"limit\":10,\"period\":\"WEEKLY\"}}|budget.period",
            "{\"name\":\"A\",\"budget\":{\"mode\":\"SHARED_POOL\"},\"teamId\":\"x\"}|teamId",
            "{\"name\":\"A\",\"budget\":{\"mode\":\"SHARED_POOL\",\"remaining\":5}}|budget.remaining",
            "[]|body",
            "{|body"})
    void createRejectsBadInputNamingTheField(String body, String field) {
        assertEquals(field, field(body, CreateTeamRequest.class));
    }

    @Test
    void updateNeedsNameOrArchived() {
        UpdateTeamRequest r = JSON.readBody("{\"archived\":true}", UpdateTeamRequest.class);
        assertEquals(Optional.of(true), r.archived());
        assertTrue(r.name().isEmpty());
        assertEquals("body", assertThrows(InvalidInput.class, () -> JSON.readBody("{}", UpdateTeamRequest.class).requireChange()).field());
        assertEquals("archived", field("{\"archived\":\"yes\"}", UpdateTeamRequest.class));
        assertEquals("name", field("{\"name\":\"\"}", UpdateTeamRequest.class));
        assertEquals("status", field("{\"status\":\"ARCHIVED\"}", UpdateTeamRequest.class));
        assertEquals("budget", field("{\"name\":\"x\",\"budget\":{\"mode\":\"SHARED_POOL\"}}", UpdateTeamRequest.class));
    }

    @Test
    void addMemberTakesUserIdOrEmailAndARole() {
        AddTeamMemberRequest byEmail = JSON.readBody("{\"email\":\" Bob@Example.COM \",\"role\":\"MEMBER\"}", AddTeamMemberRequest.class);
        assertEquals(Optional.of("bob@example.com"), byEmail.email());
        assertEquals(TeamRole.MEMBER, byEmail.role());
        AddTeamMemberRequest byId = JSON.readBody("{\"userId\":\"3f1c2b7e-6a8d-4f3e\",\"role\":\"ADMIN\"}", AddTeamMemberRequest.class);
        assertEquals(Optional.of("3f1c2b7e-6a8d-4f3e"), byId.userId());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"role\":\"MEMBER\"}|userId",
            "{\"userId\":\"u-1\",\"email\":\"a@example.com\",\"role\":\"MEMBER\"}|email",
            "{\"email\":\"not-an-email\",\"role\":\"MEMBER\"}|email",
            "{\"userId\":\"../etc\",\"role\":\"MEMBER\"}|userId",
            "{\"userId\":7,\"role\":\"MEMBER\"}|userId",
            "{\"userId\":\"u-1\"}|role",
            "{\"userId\":\"u-1\",\"role\":\"OWNER\"}|role",
            "{\"userId\":\"u-1\",\"role\":\"MEMBER\",\"teamId\":\"t\"}|teamId"})
    void addMemberRejectsBadInputNamingTheField(String body, String field) {
        assertEquals(field, field(body, AddTeamMemberRequest.class));
    }

    @Test
    void changeRoleNeedsAKnownRole() {
        assertEquals(TeamRole.ADMIN, JSON.readBody("{\"role\":\"ADMIN\"}", UpdateTeamMemberRequest.class).role());
        assertEquals(null, JSON.readBody("{}", UpdateTeamMemberRequest.class).role(), "role or limit: decided with the limit's presence");
        assertEquals("limit", field("{\"limit\":-1}", UpdateTeamMemberRequest.class));
        assertEquals("role", field("{\"role\":\"BOSS\"}", UpdateTeamMemberRequest.class));
        assertEquals("email", field("{\"role\":\"ADMIN\",\"email\":\"a@example.com\"}", UpdateTeamMemberRequest.class));
    }

    @Test
    void queryAndHeaderParsing() {
        assertEquals(Optional.of(3L), Teams.parseIfMatch(Optional.of("\"3\"")));
        assertEquals(Optional.of(3L), Teams.parseIfMatch(Optional.of("W/\"3\"")));
        assertEquals(Optional.of(12L), Teams.parseIfMatch(Optional.of("12")));
        assertEquals(Optional.empty(), Teams.parseIfMatch(Optional.empty()));
        assertEquals("If-Match", assertThrows(InvalidInput.class, () -> Teams.parseIfMatch(Optional.of("\"abc\""))).field());
        assertEquals(TeamStore.ArchivedFilter.FALSE, Teams.parseArchived(Optional.empty()));
        assertEquals(TeamStore.ArchivedFilter.ALL, Teams.parseArchived(Optional.of("all")));
        assertEquals(TeamStore.ArchivedFilter.TRUE, Teams.parseArchived(Optional.of("TRUE")));
        assertEquals("archived", assertThrows(InvalidInput.class, () -> Teams.parseArchived(Optional.of("maybe"))).field());
    }
}
