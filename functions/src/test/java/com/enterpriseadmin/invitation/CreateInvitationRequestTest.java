package com.enterpriseadmin.invitation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.enterpriseadmin.auth.AssignableRole;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.http.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The invitation body: e-mail normalised, role ADMIN|USER, optional well-formed team seats. */
class CreateInvitationRequestTest {
    private static final String TEAM = "0123456789abcdefghjkmnpqrs";
    private final Json json = new Json();

    @Test
    void minimalAndFull() {
        CreateInvitationRequest r = json.readBody("{\"email\":\" Grace@Example.COM \",\"role\":\"USER\"}", CreateInvitationRequest.class);
        assertEquals("grace@example.com", r.email());
        assertEquals(AssignableRole.USER, r.role());
        assertEquals(List.of(), r.teams());
        CreateInvitationRequest full = json.readBody("{\"email\":\"g@example.com\",\"role\":\"ADMIN\",\"teams\":[{\"teamId\":\"" + TEAM
                + "\",\"role\":\"ADMIN\"}]}", CreateInvitationRequest.class);
        assertEquals(List.of(new TeamAssignment(TEAM, TeamRole.ADMIN)), full.teams());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"role\":\"USER\"}                                          | email",
            "{\"email\":\"not-an-email\",\"role\":\"USER\"}               | email",
            "{\"email\":\"a@b\",\"role\":\"USER\"}                        | email",
            "{\"email\":42,\"role\":\"USER\"}                             | email",
            "{\"email\":\"g@example.com\"}                                | role",
            "{\"email\":\"g@example.com\",\"role\":\"OWNER\"}             | role",
            "{\"email\":\"g@example.com\",\"role\":\"MEMBER\"}            | role",
            "{\"email\":\"g@example.com\",\"role\":null}                  | role",
            "{\"email\":\"g@example.com\",\"role\":\"USER\",\"x\":1}      | x",
            "{\"email\":\"g@example.com\",\"role\":\"USER\",\"orgId\":\"o\"} | orgId",
            "{\"email\":\"g@example.com\",\"role\":\"USER\",\"teams\":{}} | teams",
            "{\"email\":\"g@example.com\",\"role\":\"USER\",\"teams\":[1]} | teams[0]",
            "{\"email\":\"g@example.com\",\"role\":\"USER\",\"teams\":[null]} | teams[0]",
            "{\"email\":\"g@example.com\",\"role\":\"USER\",\"teams\":[{\"role\":\"ADMIN\"}]} | teams[0].teamId",
            "{\"email\":\"g@example.com\",\"role\":\"USER\",\"teams\":[{\"teamId\":\"nope\",\"role\":\"ADMIN\"}]} | teams[0].teamId",
            "{\"email\":\"g@example.com\",\"role\":\"USER\",\"teams\":[{\"teamId\":\"0123456789abcdefghjkmnpqrs\"}]} | teams[0].role",
            "{\"email\":\"g@example.com\",\"role\":\"USER\",\"teams\":[{\"teamId\":\"0123456789abcdefghjkmnpqrs\",\"role\":\"OWNER\"}]} | teams[0].role",
            "{\"email\":\"g@example.com\",\"role\":\"USER\",\"teams\":[{\"teamId\":\"0123456789abcdefghjkmnpqrs\",\"role\":\"ADMIN\",\"extra\":1}]} | teams[0].extra",
    })
    void badBodies(String body, String field) {
        InvalidInput e = assertThrows(InvalidInput.class, () -> json.readBody(body, CreateInvitationRequest.class));
        assertEquals(field, e.field(), e.detail());
    }

    @Test
    void oversizeEmailAndDuplicateTeams() {
        String longEmail = "a".repeat(250) + "@example.com";
        InvalidInput e = assertThrows(InvalidInput.class,
                () -> json.readBody("{\"email\":\"" + longEmail + "\",\"role\":\"USER\"}", CreateInvitationRequest.class));
        assertEquals("email", e.field());
        String seat = "{\"teamId\":\"" + TEAM + "\",\"role\":\"MEMBER\"}";
        InvalidInput dup = assertThrows(InvalidInput.class,
                () -> json.readBody("{\"email\":\"g@example.com\",\"role\":\"USER\",\"teams\":[" + seat + "," + seat + "]}", CreateInvitationRequest.class));
        assertEquals("teams[1].teamId", dup.field());
    }
}
