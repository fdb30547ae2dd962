package com.enterpriseadmin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ConfigTest {
    static Map<String, String> env(String... kv) {
        Map<String, String> env = new HashMap<>(Map.of("TABLE_NAME", "t", "AWS_REGION", "eu-west-1"));
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return env;
    }

    @Test
    void abuseLimitsHaveDefaults() {
        Config c = Config.from(env());
        assertEquals(5, c.orgCreateLimitPerUserPerDay());
        assertEquals(50, c.inviteLimitPerInviterPerDay());
        assertEquals(20, c.pendingInvitationsPerInviteeMax());
        assertEquals(100, c.inviteRateLimitPerDay());
        assertEquals(List.of(), c.allowedEmailDomains());
    }

    @Test
    void abuseLimitsAreRead() {
        Config c = Config.from(env("ORG_CREATE_LIMIT_PER_USER_PER_DAY", "2", "INVITE_LIMIT_PER_INVITER_PER_DAY", "7",
                "PENDING_INVITATIONS_PER_INVITEE_MAX", "3", "ALLOWED_EMAIL_DOMAINS", " Example.com, example.org ,"));
        assertEquals(2, c.orgCreateLimitPerUserPerDay());
        assertEquals(7, c.inviteLimitPerInviterPerDay());
        assertEquals(3, c.pendingInvitationsPerInviteeMax());
        assertEquals(List.of("example.com", "example.org"), c.allowedEmailDomains());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ORG_CREATE_LIMIT_PER_USER_PER_DAY", "INVITE_LIMIT_PER_INVITER_PER_DAY", "PENDING_INVITATIONS_PER_INVITEE_MAX"})
    void aMalformedLimitFailsTheStartNamingTheVariable(String name) {
        for (String bad : new String[] {"0", "-1", "five", "1.5"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Config.from(env(name, bad)));
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
    }
}
