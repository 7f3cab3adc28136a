"""Workflow notifications: who must hear of each workflow event, and the emails that tell them,
at once after the commit or in a digest, as each person chose."""
