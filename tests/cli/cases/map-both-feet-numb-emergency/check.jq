.[0].warnings | map(.id) | index("cauda-equina") != null and index("bilateral-sciatica") == null
