// Tests use the same namespace pairs as `honeymesh demo`.
export * from "@honeymesh/netns/netns-pair";
