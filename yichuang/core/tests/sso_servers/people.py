"""Who the test identity providers know. Each provider has its own accounts (as a university's
统一身份认证 does): the hall's staff accounts are made by the tests, some matching, some not."""

PASSWORD = "sso-Test-9482"

# username at the provider, 工号 (employee number), name
PEOPLE = [
    ("alice", "T1001", "王丽"),
    ("zhou", "T2002", "周明"),  # a teacher the hall never gave an account
    ("erin", "T3003", "陈娟"),  # her staff account is switched off
]
