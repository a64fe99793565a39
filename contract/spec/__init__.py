"""The one reader of the spec: its files (`source`), its behaviour declarations
(`declarations`) and its marked assumptions (`assumptions`)."""
