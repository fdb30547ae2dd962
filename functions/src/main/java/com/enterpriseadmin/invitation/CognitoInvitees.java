package com.enterpriseadmin.invitation;

import java.util.Optional;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminGetUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserStatusType;

/**
 * {@link Invitees} backed by the Cognito user pool: {@code AdminGetUser} with the normalised e-mail as
 * user name (the pool uses e-mail as user name; sign-up only accepts lower-case addresses). Only a
 * CONFIRMED, enabled user counts as signed up.
 */
public final class CognitoInvitees implements Invitees {
    private final CognitoIdentityProviderClient cognito;
    private final String userPoolId;

    public CognitoInvitees(CognitoIdentityProviderClient cognito, String userPoolId) {
        this.cognito = cognito;
        this.userPoolId = userPoolId;
    }

    @Override
    public Optional<Invitee> confirmedUser(String email) {
        AdminGetUserResponse user;
        try {
            user = cognito.adminGetUser(b -> b.userPoolId(userPoolId).username(email));
        } catch (UserNotFoundException e) {
            return Optional.empty();
        }
        if (user.userStatus() != UserStatusType.CONFIRMED || Boolean.FALSE.equals(user.enabled())) {
            return Optional.empty();
        }
        return user.userAttributes().stream()
                .filter(a -> "sub".equals(a.name()))
                .map(AttributeType::value)
                .findFirst()
                .map(sub -> new Invitee(sub, email));
    }
}
