package com.enterpriseadmin.signup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.support.FakeDynamo;
import com.enterpriseadmin.support.Events;
import com.enterpriseadmin.user.ProfileStore;
import com.enterpriseadmin.user.Profiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

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

    @Test
    void snapStartPrimingOfPreSignUpAcceptsItsAddressUnderTheDomainPolicy() throws Exception {
        for (List<String> domains : List.of(List.<String>of(), List.of("corp.example"))) {
            // PreSignUp uses no table: its priming is the handler alone, and a refusal would throw here.
            new Priming(new PreSignUpHandler(mapper, new SignUpPolicy(domains)), Priming.event(Priming.Event.PRE_SIGN_UP, domains), List.of()).run();
        }
    }

    @Test
    void snapStartPrimingOfPostConfirmationWritesNoProfile() throws Exception {
        FakeDynamo dynamo = new FakeDynamo();
        new Priming(new PostConfirmationHandler(mapper, new Profiles(new ProfileStore(dynamo.db), Clock.systemUTC()), Clock.systemUTC()),
                Priming.event(Priming.Event.POST_CONFIRMATION, List.of()), List.of(Priming.tableRead(dynamo.db))).run();
        assertTrue(dynamo.writes.isEmpty() && dynamo.transactions.isEmpty(), "no profile written");
        assertEquals(Keys.priming().toMap(), ((GetItemRequest) dynamo.reads.get(0)).key());
        assertEquals(java.util.Set.of(Keys.priming().pk()), java.util.Set.copyOf(dynamo.partitionsRead()), "the priming partition only");
    }
}
