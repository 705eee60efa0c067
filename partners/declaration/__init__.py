"""The signed-document engine: texts, versions, invitations, signing, evidence, verification."""
