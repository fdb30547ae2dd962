package com.enterpriseadmin.local;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies a bearer token like the HTTP API JWT authorizer: RS256 signature against the issuer's
 * JWKS, {@code iss} equal to the configured issuer, {@code aud} or {@code client_id} among the
 * configured audiences, {@code exp} in the future and {@code nbf} (if any) in the past.
 */
public final class JwtVerifier {

  private final DefaultJWTProcessor<SecurityContext> processor;

  public JwtVerifier(JWKSource<SecurityContext> keys, String issuer, List<String> audiences) {
    processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
    processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
        null, new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp", "iss")) {
      @Override
      public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
        super.verify(claims, context);
        List<String> aud = claims.getAudience() == null ? List.of() : claims.getAudience();
        Object clientId = claims.getClaim("client_id");
        boolean ok = aud.stream().anyMatch(audiences::contains) || (clientId != null && audiences.contains(String.valueOf(clientId)));
        if (!ok) throw new BadJWTException("audience not allowed");
      }
    });
  }

  /** The JWKS at {@code <cognitoUrl>/<poolId>/.well-known/jwks.json}, cached. */
  public static JWKSource<SecurityContext> remoteKeys(String jwksUrl) {
    try {
      return JWKSourceBuilder.create(URI.create(jwksUrl).toURL()).retrying(true).build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(jwksUrl, e);
    }
  }

  /** The verified claims, or empty for any missing, malformed, forged, expired or foreign token. */
  public Optional<JWTClaimsSet> verify(String authorizationHeader) {
    if (authorizationHeader == null || authorizationHeader.isBlank()) return Optional.empty();
    String token = authorizationHeader.trim();
    if (token.regionMatches(true, 0, "Bearer ", 0, 7)) token = token.substring(7).trim();
    try {
      JWTClaimsSet claims = processor.process(token, null);
      return Optional.of(claims);
    } catch (BadJOSEException | com.nimbusds.jose.JOSEException | java.text.ParseException | RuntimeException e) {
      return Optional.empty();
    }
  }

}
