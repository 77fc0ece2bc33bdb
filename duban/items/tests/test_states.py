"""The transition table of shared/DESIGN.md 「The item lifecycle」, pair by pair."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.test import SimpleTestCase

from duban.items import access, actions, states
from duban.items.models import OPEN_STATES, ItemState
from duban.items.tests.base import ItemTestCase

S = ItemState
EXPECTED = {
    (S.DRAFT, "edit"): S.DRAFT,
    (S.DRAFT, "submit"): S.PENDING_APPROVAL,
    (S.PENDING_APPROVAL, "approve"): S.DRAFT,
    (S.PENDING_APPROVAL, "send_back"): S.DRAFT,
    (S.DRAFT, "assign"): S.ASSIGNED,
    (S.ASSIGNED, "acknowledge"): S.IN_PROGRESS,
    (S.ASSIGNED, "acknowledge_part"): S.ASSIGNED,
    (S.IN_PROGRESS, "acknowledge_part"): S.IN_PROGRESS,
    (S.ASSIGNED, "decline"): S.DRAFT,
    (S.ASSIGNED, "decline_part"): S.ASSIGNED,
    (S.IN_PROGRESS, "decline_part"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "submit_plan"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "report_progress"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "submit_final"): S.SUBMITTED,
    (S.IN_PROGRESS, "co_input"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "draft_final"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "sign_off"): S.SUBMITTED,
    (S.ASSIGNED, "decide_extension"): S.ASSIGNED,
    (S.IN_PROGRESS, "decide_extension"): S.IN_PROGRESS,
    (S.ASSIGNED, "request_extension"): S.ASSIGNED,
    (S.IN_PROGRESS, "request_extension"): S.IN_PROGRESS,
    (S.ASSIGNED, "remind"): S.ASSIGNED,
    (S.IN_PROGRESS, "remind"): S.IN_PROGRESS,
    (S.SUBMITTED, "accept"): S.COMPLETED,
    (S.SUBMITTED, "return_for_redo"): S.IN_PROGRESS,
    (S.COMPLETED, "archive"): S.ARCHIVED,
    (S.COMPLETED, "reopen"): S.IN_PROGRESS,
    **{(state, "cancel"): S.CANCELLED for state in OPEN_STATES},
}
REASON = {"send_back", "decline", "decline_part", "return_for_redo", "reopen", "cancel", "remind"}


class TableTest(SimpleTestCase):
    def test_every_pair_allowed_or_refused(self) -> None:
        for state in ItemState:
            for action in states.ACTIONS:
                with self.subTest(state=state, action=action):
                    if (state, action) in EXPECTED:
                        row = states.transition(state, action)
                        self.assertEqual(row.target, EXPECTED[(state, action)])
                        self.assertEqual(row.reason_required, action in REASON)
                    else:
                        with self.assertRaises(states.IllegalTransition) as caught:
                            states.transition(state, action)
                        message = caught.exception.message_dict["state"][0]
                        self.assertIn(f"「{state.label}」", message)
                        self.assertIn(f"「{states.label(action)}」", message)

    def test_no_unexpected_rows(self) -> None:
        self.assertEqual(set(states.TABLE), set(EXPECTED))

    def test_roles(self) -> None:
        self.assertEqual(states.TABLE[(S.DRAFT, "cancel")].roles, states.HEAD)
        self.assertEqual(states.TABLE[(S.PENDING_APPROVAL, "approve")].roles, states.APPROVERS)
        self.assertEqual(states.TABLE[(S.ASSIGNED, "acknowledge")].roles, states.LIAISON)
        self.assertEqual(states.TABLE[(S.IN_PROGRESS, "remind")].roles, states.OFFICE)


class ButtonsTest(ItemTestCase):
    def test_office_on_draft(self) -> None:
        item = self.draft()
        self.assertEqual(
            access.available_actions(self.refreshed(self.office), item),
            ["edit", "submit", "assign"],
        )
        self.assertIn("cancel", access.available_actions(self.refreshed(self.office_head), item))
        self.assertEqual(access.available_actions(self.refreshed(self.lead_liaison), item), [])

    def test_units_on_assigned(self) -> None:
        item = self.assigned()
        lead = access.available_actions(self.refreshed(self.lead_liaison), item)
        self.assertEqual(lead, ["acknowledge", "decline", "request_extension"])
        co = access.available_actions(self.refreshed(self.co_liaison), item)
        self.assertEqual(co, ["acknowledge_part", "decline_part"])
        self.assertEqual(access.available_actions(self.refreshed(self.sibling_liaison), item), [])
        self.assertEqual(access.available_actions(self.refreshed(self.leader), item), [])

    def test_remind_offered_to_the_office_only(self) -> None:
        item = self.assigned()
        for persona in ("office", "office_head"):
            with self.subTest(persona=persona):
                found = access.available_actions(self.refreshed(getattr(self, persona)), item)
                self.assertIn("remind", found)
        for persona in ("leader", "lead_liaison", "lead_leader", "co_liaison", "sibling_liaison"):
            with self.subTest(persona=persona):
                found = access.available_actions(self.refreshed(getattr(self, persona)), item)
                self.assertNotIn("remind", found)
        self.assertNotIn(
            "remind", access.available_actions(self.refreshed(self.office), self.draft())
        )

    def test_wrong_role_refused_in_chinese(self) -> None:
        item = self.draft()
        with self.assertRaisesMessage(PermissionDenied, "「交办」"):
            actions.assign(item, actor=self.refreshed(self.lead_liaison), lead_unit=self.lead)
        with self.assertRaisesMessage(PermissionDenied, "「撤销」"):
            actions.cancel(item, actor=self.refreshed(self.office), reason="重复登记")

    def test_illegal_state_refused_in_chinese(self) -> None:
        item = self.draft()
        with self.assertRaisesMessage(states.IllegalTransition, "「拟办」,不能执行「审核通过」"):
            actions.accept(item, actor=self.office)
