package com.enterpriseadmin.signup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignUpPolicyTest {
    private final SignUpPolicy open = new SignUpPolicy(List.of());

    @ParameterizedTest
    @ValueSource(strings = {"ada@example.com", "a.b+tag@sub.example.co.uk", "o'neil@example.org", "x@a-b.io"})
    void acceptsNormalisedAddresses(String email) {
        assertEquals(email, open.check(email));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "plainaddress", "@example.com", "ada@", "ada@@example.com", "ada@example",
            "ada example@example.com", "ada@exa_mple.com", ".ada@example.com", "ada.@example.com", "ada..b@example.com",
            "ada@-example.com", "ada@example.c"})
    void rejectsMalformedAddressesWithAMessageForTheUser(String email) {
        SignUpPolicy.Rejected rejected = assertThrows(SignUpPolicy.Rejected.class, () -> open.check(email));
        assertTrue(!rejected.getMessage().endsWith("."), "Cognito adds the period: " + rejected.getMessage());
    }

    @Test
    void rejectsMissingAddress() {
        assertEquals("An e-mail address is required", assertThrows(SignUpPolicy.Rejected.class, () -> open.check(null)).getMessage());
    }

    @Test
    void asksForTheNormalisedFormBecauseTheTriggerCannotRewriteIt() {
        SignUpPolicy.Rejected rejected = assertThrows(SignUpPolicy.Rejected.class, () -> open.check(" Ada@Example.COM "));
        assertTrue(rejected.getMessage().contains("ada@example.com"), rejected.getMessage());
    }

    @Test
    void rejectsOverlongAddresses() {
        String local = "a".repeat(65);
        assertThrows(SignUpPolicy.Rejected.class, () -> open.check(local + "@example.com"));
        String domain = String.join(".", "b".repeat(63), "c".repeat(63), "d".repeat(63), "e".repeat(63), "com"); // 261 with "a@"
        assertThrows(SignUpPolicy.Rejected.class, () -> open.check("a@" + domain));
    }

    @Test
    void enforcesTheAllowedDomainPolicy() {
        SignUpPolicy policy = new SignUpPolicy(List.of("example.com", "corp.example.org"));
        assertEquals("ada@example.com", policy.check("ada@example.com"));
        assertEquals("bob@corp.example.org", policy.check("bob@corp.example.org"));
        SignUpPolicy.Rejected rejected = assertThrows(SignUpPolicy.Rejected.class, () -> policy.check("eve@evil.com"));
        assertEquals("Sign-up is limited to addresses at example.com, corp.example.org", rejected.getMessage());
        assertThrows(SignUpPolicy.Rejected.class, () -> policy.check("eve@sub.example.com"));
    }
}
