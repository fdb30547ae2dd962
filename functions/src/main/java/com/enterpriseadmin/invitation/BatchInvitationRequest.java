package com.enterpriseadmin.invitation;

import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Body of {@code POST /v1/organizations/{orgId}/invitations/batch}: {@code {"invitations": [{email, role, teams?}, …]}},
 * 1 to {@value #MAX_ROWS} rows. Rows are kept as JSON here and read one by one ({@link CreateInvitationRequest}), so
 * that a bad row is a refused row and not a 400 of the whole batch.
 */
public record BatchInvitationRequest(List<JsonNode> invitations) {
    public static final int MAX_ROWS = 100;

    public BatchInvitationRequest {
        if (invitations == null || invitations.isEmpty()) {
            throw new InvalidInput("invitations", "'invitations' must list 1 to " + MAX_ROWS + " rows");
        }
        if (invitations.size() > MAX_ROWS) {
            throw new InvalidInput("invitations", "at most " + MAX_ROWS + " rows per batch");
        }
        invitations = List.copyOf(invitations.stream().map(n -> n == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : n).toList());
    }
}
