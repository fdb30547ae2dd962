package com.enterpriseadmin.organization;

/**
 * Body of {@code PATCH /v1/organizations/{orgId}}: only {@code name} may change. Read-only members
 * ({@code orgId}, {@code ownerId}, {@code createdAt}, ...) are unknown fields here, hence 400s naming them.
 */
public record UpdateOrganizationRequest(String name) {
    public UpdateOrganizationRequest {
        name = OrganizationName.parse(name, "name");
    }
}
