package com.enterpriseadmin.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JwtVerifierTest {

  private static final String ISSUER = "http://127.0.0.1:9229/local_pool";
  private static final String CLIENT = "client-1";
  private static RSAKey key;
  private static RSAKey otherKey;
  private static JwtVerifier verifier;

  @BeforeAll
  static void keys() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
    verifier = new JwtVerifier(new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())), ISSUER, List.of(CLIENT));
  }

  private static JWTClaimsSet.Builder claims() {
    long now = System.currentTimeMillis();
    return new JWTClaimsSet.Builder().issuer(ISSUER).audience(CLIENT).subject("u-1").claim("token_use", "id")
        .issueTime(new Date(now)).expirationTime(new Date(now + 3_600_000));
  }

  private static String sign(RSAKey with, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(with));
    return jwt.serialize();
  }

  @Test
  void validIdTokenWithOrWithoutBearerPrefix() throws Exception {
    String token = sign(key, claims().build());
    assertEquals("u-1", verifier.verify("Bearer " + token).orElseThrow().getSubject());
    assertTrue(verifier.verify(token).isPresent());
  }

  @Test
  void accessTokenWithClientIdInsteadOfAudience() throws Exception {
    JWTClaimsSet access = claims().audience((String) null).claim("client_id", CLIENT).claim("token_use", "access").build();
    assertTrue(verifier.verify("Bearer " + sign(key, access)).isPresent());
  }

  @Test
  void expiredTokenIsRejected() throws Exception {
    long past = System.currentTimeMillis() - 3_600_000;
    assertTrue(verifier.verify("Bearer " + sign(key, claims().expirationTime(new Date(past)).build())).isEmpty());
  }

  @Test
  void notYetValidTokenIsRejected() throws Exception {
    long future = System.currentTimeMillis() + 600_000;
    assertTrue(verifier.verify("Bearer " + sign(key, claims().notBeforeTime(new Date(future)).build())).isEmpty());
  }

  @Test
  void wrongIssuerIsRejected() throws Exception {
    assertTrue(verifier.verify("Bearer " + sign(key, claims().issuer("http://127.0.0.1:9229/other").build())).isEmpty());
  }

  @Test
  void wrongAudienceIsRejected() throws Exception {
    assertTrue(verifier.verify("Bearer " + sign(key, claims().audience("other-client").build())).isEmpty());
  }

  @Test
  void tokenWithoutExpiryIsRejected() throws Exception {
    assertTrue(verifier.verify("Bearer " + sign(key, claims().expirationTime(null).build())).isEmpty());
  }

  @Test
  void forgedSignatureIsRejected() throws Exception {
    assertTrue(verifier.verify("Bearer " + sign(otherKey, claims().build())).isEmpty());
    String good = sign(key, claims().build());
    String tampered = good.substring(0, good.lastIndexOf('.')) + "." + sign(key, claims().subject("u-2").build()).split("\\.")[2];
    assertTrue(verifier.verify("Bearer " + tampered).isEmpty());
  }

  @Test
  void algNoneAndHmacAreRejected() throws Exception {
    assertTrue(verifier.verify("Bearer " + new PlainJWT(claims().build()).serialize()).isEmpty());
    SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
    hs.sign(new MACSigner(new byte[32]));
    assertTrue(verifier.verify("Bearer " + hs.serialize()).isEmpty());
  }

  @Test
  void missingOrGarbageHeaderIsRejected() {
    assertTrue(verifier.verify(null).isEmpty());
    assertTrue(verifier.verify("").isEmpty());
    assertTrue(verifier.verify("Bearer not.a.jwt").isEmpty());
  }
}
