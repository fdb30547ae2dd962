package com.enterpriseadmin.signup;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.user.EmailAddress;
import com.enterpriseadmin.user.Profiles;
import com.enterpriseadmin.user.UserProfile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/**
 * Cognito PostConfirmation trigger: creates the user profile (id = {@code sub}) with a conditional
 * put, so Cognito's retries (up to three deliveries of the same event) give one profile. Acts only
 * on {@code PostConfirmation_ConfirmSignUp}; the forgot-password confirmation is passed through.
 * Unexpected failures are rethrown so that Cognito retries and alarms fire.
 */
public final class PostConfirmationHandler implements RequestStreamHandler {
    static final String CONFIRM_SIGN_UP = "PostConfirmation_ConfirmSignUp";

    private final ObjectMapper mapper;
    private final Profiles profiles;
    private final Clock clock;

    public PostConfirmationHandler() {
        this(Wiring.get().json().mapper(), Wiring.get().profiles(), Wiring.get().clock());
        Wiring.get().primeBeforeSnapshot(this, Priming.Event.POST_CONFIRMATION);
    }

    PostConfirmationHandler(ObjectMapper mapper, Profiles profiles, Clock clock) {
        this.mapper = mapper;
        this.profiles = profiles;
        this.clock = clock;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = mapper.readTree(input);
        Log.begin("PostConfirmation", context == null ? null : context.getAwsRequestId());
        String source = event.path("triggerSource").asText();
        if (CONFIRM_SIGN_UP.equals(source)) {
            JsonNode attributes = event.path("request").path("userAttributes");
            String sub = attributes.path("sub").asText(null);
            String email = EmailAddress.normalise(attributes.path("email").asText(null));
            if (sub == null || sub.isBlank() || email == null || email.isEmpty()) {
                throw new IllegalArgumentException("PostConfirmation event without sub or email");
            }
            String name = attributes.hasNonNull("name") ? attributes.path("name").asText().trim() : null;
            boolean created = profiles.createFromSignUp(new UserProfile(sub, email, name == null || name.isEmpty() ? null : name, clock.instant()));
            Log.info(created ? "profile-created" : "profile-already-present", "userId", sub);
        } else {
            Log.info("trigger-ignored", "triggerSource", source);
        }
        mapper.writeValue(output, event);
    }
}
