package com.enterpriseadmin.invitation;

import java.util.Optional;

/** Finds people who completed sign-up (confirmed users of the identity provider) by e-mail. */
@FunctionalInterface
public interface Invitees {

    record Invitee(String userId, String email) {}

    /** The confirmed user with this normalised e-mail, if any. */
    Optional<Invitee> confirmedUser(String email);
}
