"""Domain layer: attrs values and pure rules. Nothing here touches a database."""
