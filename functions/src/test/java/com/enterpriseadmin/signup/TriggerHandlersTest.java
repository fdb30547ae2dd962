package com.enterpriseadmin.signup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.support.Events;
import com.enterpriseadmin.user.Profiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerHandlersTest {
    private final ObjectMapper mapper = new Json().mapper();

    @Test
    void preSignUpReturnsTheEventUnchangedForAValidAddress() throws Exception {
        byte[] event = Events.load("PreSignUp-valid-email.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PreSignUpHandler(mapper, new SignUpPolicy(List.of())).handleRequest(new ByteArrayInputStream(event), out, null);
        assertEquals(mapper.readTree(event), mapper.readTree(out.toByteArray()));
    }

    @Test
    void preSignUpRefusesAMalformedAddressWithAMessage() {
        byte[] event = Events.load("PreSignUp-malformed-email.json");
        SignUpPolicy.Rejected rejected = assertThrows(SignUpPolicy.Rejected.class, () -> new PreSignUpHandler(mapper, new SignUpPolicy(List.of()))
                .handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(), null));
        assertEquals("'ada@@example' is not a valid e-mail address", rejected.getMessage());
    }

    @Test
    void preSignUpAppliesTheDomainPolicy() {
        byte[] event = Events.load("PreSignUp-valid-email.json");
        assertThrows(SignUpPolicy.Rejected.class, () -> new PreSignUpHandler(mapper, new SignUpPolicy(List.of("corp.example")))
                .handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(), null));
    }

    @Test
    void postConfirmationIgnoresForgotPasswordConfirmations() throws Exception {
        byte[] event = Events.load("PostConfirmation-forgot-password.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // A Profiles without a store: touching it would fail the test.
        new PostConfirmationHandler(mapper, new Profiles(null, Clock.systemUTC()), Clock.systemUTC())
                .handleRequest(new ByteArrayInputStream(event), out, null);
        JsonNode returned = mapper.readTree(out.toByteArray());
        assertEquals("PostConfirmation_ConfirmForgotPassword", returned.path("triggerSource").asText());
    }

    @Test
    void postConfirmationRejectsAnEventWithoutSubject() {
        String event = "{\"triggerSource\":\"PostConfirmation_ConfirmSignUp\",\"request\":{\"userAttributes\":{\"email\":\"a@example.com\"}}}";
        assertThrows(IllegalArgumentException.class, () -> new PostConfirmationHandler(mapper, new Profiles(null, Clock.systemUTC()), Clock.systemUTC())
                .handleRequest(new ByteArrayInputStream(event.getBytes()), new ByteArrayOutputStream(), null));
    }
}
