"""The hook through which a policy payment reaches the award and subsidy ledger without the paying
app knowing the ledger: an app that pays an enterprise under a policy (惠企's 免申即享 disbursements,
人才 policy payments) sends `policy_paid` inside the transaction that records the payment; the
要素保障 app, higher in the layers, listens (`factors.apps`) and enters the payment in the ledger.
A receiver's refusal rolls the payment back with it, so the ledger and the payment never disagree.

Arguments sent: `actor` (the user who recorded the payment), `kind` (`enterprise_policy` or
`talent_policy`), `enterprise` (the registry's enterprise paid), `amount_wan_yuan`, `paid_on`, `basis`
(the policy's name), `decision_number` (the batch or decision that granted it) and `source` (the
payment's own label, "app.Model:pk", which the ledger keeps once)."""

from __future__ import annotations

from django.dispatch import Signal

ENTERPRISE_POLICY = "enterprise_policy"
TALENT_POLICY = "talent_policy"

policy_paid = Signal()
