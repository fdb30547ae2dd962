package com.enterpriseadmin.organization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.enterpriseadmin.auth.AssignableRole;
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.http.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Organization and member request bodies: every malformed one is a 400 naming the field. */
class OrganizationRequestsTest {
    private final Json json = new Json();

    @Test
    void namesAreTrimmed() {
        assertEquals("Acme Research", json.readBody("{\"name\":\"  Acme Research \"}", CreateOrganizationRequest.class).name());
        assertEquals("Ünïcödé 株式会社", json.readBody("{\"name\":\"Ünïcödé 株式会社\"}", UpdateOrganizationRequest.class).name());
        assertEquals(100, json.readBody("{\"name\":\"" + "é".repeat(100) + "\"}", CreateOrganizationRequest.class).name().length());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}                                     | name",
            "{\"name\":null}                        | name",
            "{\"name\":\"   \"}                     | name",
            "{\"name\":42}                          | name",
            "{\"name\":[\"a\"]}                     | name",
            "{\"name\":{\"a\":1}}                   | name",
            "{\"name\":\"a\\u0000b\"}               | name",
            "{\"name\":\"line\\nbreak\"}            | name",
            "{\"name\":\"x\",\"ownerId\":\"me\"}    | ownerId",
            "{\"name\":\"x\",\"orgId\":\"me\"}      | orgId",
            "{\"name\":\"x\",\"createdAt\":\"t\"}   | createdAt",
            "[]                                     | body",
            "not json                               | body",
    })
    void badOrganizationBodies(String body, String field) {
        InvalidInput e = assertThrows(InvalidInput.class, () -> json.readBody(body, UpdateOrganizationRequest.class));
        assertEquals(field, e.field());
        InvalidInput c = assertThrows(InvalidInput.class, () -> json.readBody(body, CreateOrganizationRequest.class));
        assertEquals(field, c.field());
    }

    @Test
    void oversizeNames() {
        InvalidInput e = assertThrows(InvalidInput.class, () -> json.readBody("{\"name\":\"" + "a".repeat(101) + "\"}", CreateOrganizationRequest.class));
        assertEquals("name", e.field());
        InvalidInput big = assertThrows(InvalidInput.class, () -> json.readBody("{\"name\":\"" + "a".repeat(70_000) + "\"}", CreateOrganizationRequest.class));
        assertEquals("body", big.field());
    }

    @Test
    void memberUpdates() {
        UpdateMemberRequest role = json.readBody("{\"role\":\"ADMIN\"}", UpdateMemberRequest.class);
        assertEquals(AssignableRole.ADMIN, role.role());
        assertNull(role.status());
        UpdateMemberRequest both = json.readBody("{\"role\":\"USER\",\"status\":\"SUSPENDED\"}", UpdateMemberRequest.class);
        assertEquals(MemberStatus.SUSPENDED, both.status());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}                                  | body",
            "{\"role\":\"OWNER\"}                | role",
            "{\"role\":\"admin\"}                | role",
            "{\"role\":\"SUPERUSER\"}            | role",
            "{\"role\":1}                        | role",
            "{\"status\":\"DELETED\"}            | status",
            "{\"status\":true}                   | status",
            "{\"role\":\"USER\",\"teams\":[]}    | teams",
            "{\"role\":\"USER\",\"email\":\"a\"} | email",
    })
    void badMemberUpdates(String body, String field) {
        InvalidInput e = assertThrows(InvalidInput.class, () -> json.readBody(body, UpdateMemberRequest.class));
        assertEquals(field, e.field());
    }

    @Test
    void ownerIsNeverOfferedAsAChoice() {
        InvalidInput e = assertThrows(InvalidInput.class, () -> json.readBody("{\"role\":\"OWNER\"}", UpdateMemberRequest.class));
        assertEquals("must be one of: ADMIN, USER", e.detail());
    }
}
