package com.enterpriseadmin.organization;

/** Body of {@code POST /v1/organizations}: {@code {"name": "..."}}; nothing else is accepted. */
public record CreateOrganizationRequest(String name) {
    public CreateOrganizationRequest {
        name = OrganizationName.parse(name, "name");
    }
}
