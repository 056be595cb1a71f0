"""Where schedulers come from: the entry schema, the torch entries as data, lookup and listing."""
