(.openapi | startswith("3."))
and .info.title == "tpt API" and .info.version == "0.1.0"
and .servers[0].url == "/api/v1"
and (.paths["/health"] | has("get"))
and (.paths["/regions"] | has("get"))
and (.paths["/atlas"] | has("get"))
and (.paths["/atlas/{cause}"] | has("get"))
and (.paths["/map"] | has("post"))
and (.paths["/screen"] | has("post"))
and (.paths["/plan"] | has("post"))
and (.paths["/openapi.json"] | has("get"))
and (.paths["/chart/{view}.svg"] | has("get"))
and (.components.schemas.Error.properties.error.required == ["code", "message", "field"])
and (.components.schemas.Answers.properties | length) == 36
and (. as $doc | [.. | objects | select(has("$ref")) | ."$ref"]
     | all(. as $ref | startswith("#/")
           and ($doc | getpath($ref | ltrimstr("#/") | split("/")) != null)))
