package com.enterpriseadmin.signup;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.observability.Log;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Cognito PreSignUp trigger: validates the e-mail (and the optional allowed-domain policy) before
 * Cognito creates the user. No side effects. A refusal is thrown, which Cognito reports to the
 * person signing up as "PreSignUp failed with error {message}".
 */
public final class PreSignUpHandler implements RequestStreamHandler {
    private final ObjectMapper mapper;
    private final SignUpPolicy policy;

    public PreSignUpHandler() {
        this(Wiring.get().json().mapper(), Wiring.get().signUpPolicy());
        Wiring.get().primeBeforeSnapshot(this, Priming.Event.PRE_SIGN_UP);
    }

    PreSignUpHandler(ObjectMapper mapper, SignUpPolicy policy) {
        this.mapper = mapper;
        this.policy = policy;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ObjectNode event = (ObjectNode) mapper.readTree(input);
        Log.begin("PreSignUp", context == null ? null : context.getAwsRequestId());
        String source = event.path("triggerSource").asText();
        String email = event.path("request").path("userAttributes").path("email").asText(null);
        try {
            policy.check(email);
        } catch (SignUpPolicy.Rejected rejected) {
            Log.info("sign-up-rejected", "triggerSource", source);
            throw rejected;
        }
        Log.info("sign-up-accepted", "triggerSource", source);
        mapper.writeValue(output, event);
    }
}
