package com.enterpriseadmin.it.signup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.it.TestStack;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The first vertical slice, end to end: sign up in the Cognito emulator (PreSignUp runs through the
 * local runtime's Lambda Invoke API), confirm (PostConfirmation writes the profile through moto),
 * sign in, and call /v1/me through the local runtime with the ID token; and every way in that must
 * fail.
 */
class SignUpFlowE2EIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestStack stack = TestStack.get();

    private Map<String, AttributeValue> profileItem(String sub) {
        return stack.dynamo().getItem(b -> b.tableName(stack.tableName).consistentRead(true)
                .key(Map.of("PK", AttributeValue.fromS("USER#" + sub), "SK", AttributeValue.fromS("PROFILE")))).item();
    }

    private static String email() {
        return "signup-" + UUID.randomUUID().toString().substring(0, 10) + "@example.com";
    }

    @Test
    void signUpConfirmSignInAndReadTheProfile() {
        String email = email();
        String sub = stack.signUp(email, "Correct-Horse-42-x", "Ada Lovelace");
        assertTrue(profileItem(sub).isEmpty(), "no profile before confirmation");
        stack.confirm(email);
        Map<String, AttributeValue> item = profileItem(sub);
        assertEquals(email, item.get("email").s(), "PostConfirmation wrote the profile");
        assertEquals("Ada Lovelace", item.get("name").s());

        String token = stack.signIn(email, "Correct-Horse-42-x");
        TestStack.Response me = stack.get("/v1/me", token);
        assertEquals(200, me.status(), me.body());
        assertEquals(sub, me.json().path("userId").asText());
        assertEquals(email, me.json().path("email").asText());
        assertEquals("Ada Lovelace", me.json().path("name").asText());
        assertEquals(item.get("createdAt").s().substring(0, 19), me.json().path("createdAt").asText().substring(0, 19));
    }

    @Test
    void aMalformedOrNonNormalisedAddressIsRefusedWithTheTriggersMessage() {
        CognitoIdentityProviderException e = assertThrows(CognitoIdentityProviderException.class,
                () -> stack.signUp("ada@@example", "Correct-Horse-42-x", "Ada"));
        assertTrue(e.getMessage().contains("is not a valid e-mail address"), e.getMessage());
        String upper = "Signup-" + UUID.randomUUID().toString().substring(0, 8) + "@Example.com";
        e = assertThrows(CognitoIdentityProviderException.class, () -> stack.signUp(upper, "Correct-Horse-42-x", "Ada"));
        assertTrue(e.getMessage().contains("lower case"), e.getMessage());
    }

    @Test
    void theSameConfirmationDeliveredThreeTimesGivesOneProfile() throws Exception {
        String sub = UUID.randomUUID().toString();
        String email = email();
        ObjectNode event = (ObjectNode) JSON.readTree(Files.readString(stack.root.resolve("events/PostConfirmation-confirm-sign-up.json")));
        ObjectNode attributes = (ObjectNode) event.path("request").path("userAttributes");
        attributes.put("sub", sub);
        attributes.put("email", email);
        for (int i = 0; i < 3; i++) {
            JsonNode returned = stack.invoke("PostConfirmationFunction", event.toString());
            assertEquals("PostConfirmation_ConfirmSignUp", returned.path("triggerSource").asText());
        }
        assertEquals(email, profileItem(sub).get("email").s());
        long profiles = stack.dynamo().query(b -> b.tableName(stack.tableName).indexName("GSI1")
                .keyConditionExpression("GSI1PK = :e").expressionAttributeValues(Map.of(":e", AttributeValue.fromS("EMAIL#" + email)))).count();
        assertEquals(1, profiles);

        // The forgot-password confirmation fires the same trigger: it must not create anything.
        String other = UUID.randomUUID().toString();
        event.put("triggerSource", "PostConfirmation_ConfirmForgotPassword");
        attributes.put("sub", other);
        stack.invoke("PostConfirmationFunction", event.toString());
        assertTrue(profileItem(other).isEmpty());
    }

    @Test
    void meProvisionsTheProfileFromTheTokenWhenTheTriggerNeverRan() {
        TestStack.User user = stack.newUser();
        String sub = stack.get("/v1/me", user.idToken()).json().path("userId").asText();
        stack.dynamo().deleteItem(b -> b.tableName(stack.tableName)
                .key(Map.of("PK", AttributeValue.fromS("USER#" + sub), "SK", AttributeValue.fromS("PROFILE"))));
        TestStack.Response me = stack.get("/v1/me", user.idToken());
        assertEquals(200, me.status(), me.body());
        assertEquals(user.email(), me.json().path("email").asText());
        assertEquals(user.email(), profileItem(sub).get("email").s(), "provisioned from the verified claims");
    }

    @Test
    void missingForgedAndForeignTokensAre401() throws Exception {
        TestStack.User user = stack.newUser();
        String[] parts = user.idToken().split("\\.");
        Base64.Decoder dec = Base64.getUrlDecoder();
        Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();

        // Payload changed after signing (another subject).
        ObjectNode payload = (ObjectNode) JSON.readTree(dec.decode(parts[1]));
        payload.put("sub", UUID.randomUUID().toString());
        String tampered = parts[0] + "." + enc.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        // Signed with a key of our own under the pool's key id.
        var keys = KeyPairGenerator.getInstance("RSA");
        keys.initialize(2048);
        var pair = keys.generateKeyPair();
        String signingInput = parts[0] + "." + parts[1];
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(pair.getPrivate());
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        String selfSigned = signingInput + "." + enc.encodeToString(rsa.sign());

        // alg none.
        ObjectNode header = (ObjectNode) JSON.readTree(dec.decode(parts[0]));
        header.put("alg", "none");
        String unsigned = enc.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";

        for (String bad : new String[] {tampered, selfSigned, unsigned, "not-a-jwt", foreignPoolToken()}) {
            TestStack.Response r = stack.get("/v1/me", bad);
            assertEquals(401, r.status(), r.body());
            assertEquals("Unauthorized", r.json().path("message").asText());
        }
        assertEquals(401, stack.get("/v1/me", null).status());
        // Like the HTTP API JWT authorizer, the identity source may hold the token alone or prefixed with "Bearer ".
        assertEquals(200, stack.send("GET", "/v1/me", Map.of("Authorization", user.idToken()), null).status());
        assertEquals(401, stack.send("GET", "/v1/me", Map.of("Authorization", "Basic " + user.idToken()), null).status());
        assertEquals(200, stack.get("/v1/me", user.idToken()).status());
    }

    /** A perfectly valid ID token - of another user pool of the same emulator. */
    private String foreignPoolToken() {
        var cognito = stack.cognito();
        String poolId = cognito.createUserPool(b -> b.poolName("other-" + UUID.randomUUID()).usernameAttributes(
                software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameAttributeType.EMAIL)).userPool().id();
        String clientId = cognito.createUserPoolClient(b -> b.userPoolId(poolId).clientName("other")
                .explicitAuthFlows(ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH, ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH))
                .userPoolClient().clientId();
        String email = email();
        cognito.signUp(b -> b.clientId(clientId).username(email).password("Correct-Horse-42-x")
                .userAttributes(AttributeType.builder().name("email").value(email).build()));
        cognito.adminConfirmSignUp(b -> b.userPoolId(poolId).username(email));
        String token = cognito.initiateAuth(b -> b.clientId(clientId).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", email, "PASSWORD", "Correct-Horse-42-x"))).authenticationResult().idToken();
        assertFalse(token.isEmpty());
        return token;
    }
}
