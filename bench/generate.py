"""Fills the bench database with a national installation's data, set-based (INSERT ... SELECT).

Run by bench/run.py after `migrate` on a fresh database. Volumes at scale 1 (BENCH_SCALE):
340 municipalities, 1,000 projects, 30,000 organisations, 60,000 persons, 500,000 contact
moments and 20,000 meetings in total; the "big" project (300 partners, 5,000 contact moments,
a declaration with 150 signatures and 150 open invitations) is always full size, whatever the
scale. A small project of the same municipality gets a small declaration, so that each page can
be measured on a small and a big project: its query count must be the same on both.

Writes the ids and the raw signing tokens the runner needs to <workdir>/state.json.
"""

import json
import os
import secrets
import sys
import time
from datetime import timedelta
from pathlib import Path

PASSWORD = "bench-wachtwoord-2026"
BIG_PARTNERS = 300
BIG_CONTACTS = 5000
BIG_SIGNED = 150
BIG_MEETINGS = 40
PARTNERS_PER_PROJECT = 25
# Safety analysis (issue 20): the big project's walk-throughs and entrepreneurs' survey.
BIG_WALK_THROUGHS = 8
BIG_FINDINGS = 4000
BIG_RESPONSES = 1500
STREETS_PER_ANALYSIS = 12
# The survey every analysis has: (kind, text, options), as the Dutch template asks.
SURVEY_QUESTIONS = [
    ("scale", "Hoe veilig voelt u zich in het uitgaansgebied?", ""),
    ("single", "Heeft u het afgelopen jaar geweld meegemaakt in of bij uw zaak?", "Ja\nNee"),
    ("multiple", "Waar heeft u last van?", "Geluid\nGlas op straat\nDrugs\nVechtpartijen"),
    ("scale", "Hoe beoordeelt u de samenwerking met de politie?", ""),
    ("scale", "Hoe beoordeelt u de verlichting in de straten?", ""),
    ("single", "Zou u een collectief horecaverbod steunen?", "Ja\nNee\nWeet niet"),
    ("open", "Wat moet er als eerste verbeteren?", ""),
    ("open", "Heeft u verder nog opmerkingen?", ""),
]

KINDS = [
    "municipality",
    "police",
    "hospitality",
    "khn",
    "association",
    "fire_service",
    "prosecutor",
    "residents",
    "security",
    "taxi",
    "public_transport",
    "youth_work",
    "hospitality",
    "hospitality",
    "other",
]
KIND_SQL = "(ARRAY[" + ",".join(f"'{k}'" for k in KINDS) + "])"
ROLE_SQL = """CASE WHEN o.kind IN ('municipality','police','hospitality','khn') THEN 'core'
    WHEN o.kind IN ('association','fire_service','prosecutor') THEN 'recommended'
    ELSE 'optional' END"""
STAGES_SQL = (
    "(ARRAY['not_approached','approached','interested','committed','signed','declined','on_hold'])"
)
CHANNELS_SQL = "(ARRAY['phone','email','visit','meeting','other'])"
PROVINCES = ["GR", "FR", "DR", "OV", "FL", "GE", "UT", "NH", "ZH", "ZE", "NB", "LI"]


def volumes(scale: float) -> dict[str, int]:
    def at_least(n, minimum):
        return max(minimum, round(n * scale))

    return {
        "municipalities": at_least(340, 3),
        "projects": at_least(1000, 6),
        "organisations": at_least(30000, BIG_PARTNERS + 60),
        "contacts": at_least(500000, BIG_CONTACTS + 500),
        "meetings": at_least(20000, BIG_MEETINGS + 20),
        # Safety analysis (issue 20): in all, over the projects in step 3 or later.
        "findings": at_least(50000, BIG_FINDINGS + 500),
        "answers": at_least(200000, BIG_RESPONSES * len(SURVEY_QUESTIONS) + 2000),
    }


def step(label, cursor, sql, params=()):
    started = time.monotonic()
    cursor.execute(sql, list(params))  # always with params, so that %% means %
    print(f"  {label}: {cursor.rowcount} rows, {time.monotonic() - started:.1f} s", flush=True)


def generate(scale: float, workdir: Path) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    v = volumes(scale)
    print(f"Generating at scale {scale}: {v}", flush=True)
    password = make_password(PASSWORD)
    with transaction.atomic(), connection.cursor() as c:
        step(
            "municipalities",
            c,
            """INSERT INTO kvu_municipality (name, cbs_code, province, created_at, updated_at)
            SELECT 'Gemeente ' || lpad(g::text, 4, '0'), 'GM' || lpad(g::text, 4, '0'),
                   (%s::text[])[1 + g %% 12], now(), now()
            FROM generate_series(1, %s) g""",
            [PROVINCES, v["municipalities"]],
        )
        # One leader per municipality; the bench's own leader leads the first municipality.
        step(
            "users",
            c,
            """INSERT INTO auth_user (password, is_superuser, username, first_name, last_name,
                   email, is_staff, is_active, date_joined)
            SELECT %s, false, CASE WHEN g = 1 THEN 'bench-leader' ELSE 'leider-' || g END,
                   'Projectleider', g::text, 'leider' || g || '@gemeente.example', false, true,
                   now()
            FROM generate_series(1, %s) g
            UNION ALL
            SELECT %s, true, 'bench-admin', 'Beheerder', 'Bench', 'beheer@kvu.example', true,
                   true, now()""",
            [password, v["municipalities"], password],
        )
        step(
            "memberships",
            c,
            """INSERT INTO kvu_membership (role, created_at, user_id, municipality_id)
            SELECT 'leader', now(), u.id, m.id
            FROM kvu_municipality m
            JOIN auth_user u ON u.username = CASE WHEN m.cbs_code = 'GM0001' THEN 'bench-leader'
                 ELSE 'leider-' || ltrim(substr(m.cbs_code, 3), '0') END""",
        )
        # Projects are spread over the municipalities; project 1 of GM0001 is the big one.
        step(
            "projects",
            c,
            """INSERT INTO kvu_project (name, nightlife_area, description, ccv_step, start_date,
                   created_at, updated_at, municipality_id, project_leader_id)
            SELECT CASE WHEN g = 1 THEN 'Binnenstad Veilig Uitgaan' ELSE 'KVU project ' || g END,
                   'Uitgaansgebied ' || g, 'Project voor een veilig uitgaansgebied.',
                   1 + g %% 3, current_date - (g %% 400), now(), now(), m.id, ms.user_id
            FROM generate_series(1, %s) g
            JOIN kvu_municipality m ON m.cbs_code = 'GM' || lpad((1 + (g - 1) %% %s)::text, 4, '0')
            JOIN kvu_membership ms ON ms.municipality_id = m.id""",
            [v["projects"], v["municipalities"]],
        )
        c.execute(
            "SELECT id, municipality_id FROM kvu_project WHERE name = 'Binnenstad Veilig Uitgaan'"
        )
        big_id, muni1 = c.fetchone()
        c.execute(
            "SELECT id FROM kvu_project WHERE municipality_id = %s AND id <> %s"
            " ORDER BY id LIMIT 1",
            [muni1, big_id],
        )
        small_id = c.fetchone()[0]

        # The big project's 300 partners, then the rest spread over the municipalities.
        org_columns = """INSERT INTO partners_organisation (name, kind, address, postcode, city,
            kvk_number, website, email, phone, notes, is_active, created_at, updated_at,
            municipality_id)"""
        step(
            "organisations (big project)",
            c,
            org_columns
            + f"""
            SELECT 'Partner ' || lpad(g::text, 3, '0'), {KIND_SQL}[1 + g %% {len(KINDS)}],
                   'Grote Markt ' || g, '7511 HN', 'Plaats', lpad(g::text, 8, '0'), '',
                   'info' || g || '@partner.example', '053 123 4567', '', true, now(), now(), %s
            FROM generate_series(1, %s) g""",
            [muni1, BIG_PARTNERS],
        )
        step(
            "organisations",
            c,
            org_columns
            + f"""
            SELECT 'Organisatie ' || g, {KIND_SQL}[1 + g %% {len(KINDS)}], 'Straat ' || g,
                   '1234 AB', 'Plaats', lpad((100000 + g)::text, 8, '0'), '',
                   'org' || g || '@partner.example', '', '', g %% 50 <> 0, now(), now(), m.id
            FROM generate_series(1, %s) g
            JOIN kvu_municipality m ON m.cbs_code = 'GM' || lpad((1 + g %% %s)::text, 4, '0')""",
            [v["organisations"] - BIG_PARTNERS, v["municipalities"]],
        )
        step(
            "persons",
            c,
            """INSERT INTO partners_person (name, function, email, phone, notes, created_at,
                   updated_at, organisation_id)
            SELECT 'Persoon ' || o.id || '-' || n, (ARRAY['Eigenaar','Bedrijfsleider'])[n],
                   'persoon' || o.id || '-' || n || '@partner.example', '06 1234 5678', '',
                   now(), now(), o.id
            FROM partners_organisation o CROSS JOIN generate_series(1, 2) n""",
        )
        part_columns = """INSERT INTO partners_participation (stage, role, interests,
            influence, interest_level, created_at, updated_at, organisation_id, project_id)"""
        step(
            "participations (big project)",
            c,
            part_columns
            + f"""
            SELECT {STAGES_SQL}[1 + o.id %% 7], {ROLE_SQL}, 'Langere openingstijden',
                   1 + o.id %% 5, 1 + (o.id / 5) %% 5, now(), now(), o.id, %s
            FROM partners_organisation o WHERE o.name LIKE 'Partner %%'""",
            [big_id],
        )
        step(
            "participations",
            c,
            part_columns
            + f"""
            SELECT {STAGES_SQL}[1 + o.id %% 7], {ROLE_SQL}, '', 1 + o.id %% 5,
                   1 + (o.id / 5) %% 5, now(), now(), o.id, p.id
            FROM kvu_project p
            JOIN (SELECT id, kind, municipality_id,
                         row_number() OVER (PARTITION BY municipality_id ORDER BY id) AS rank
                  FROM partners_organisation WHERE name NOT LIKE 'Partner %%') o
              ON o.municipality_id = p.municipality_id AND o.rank <= %s
            WHERE p.id <> %s""",
            [PARTNERS_PER_PROJECT, big_id],
        )
        step(
            "main contacts",
            c,
            """UPDATE partners_participation pa SET main_contact_id = pe.first
            FROM (SELECT organisation_id, min(id) AS first FROM partners_person
                  GROUP BY organisation_id) pe
            WHERE pe.organisation_id = pa.organisation_id""",
        )
        contact_sql = f"""INSERT INTO partners_contactmoment (occurred_at, channel, direction,
                summary, outcome, follow_up_on, follow_up_done, created_at, updated_at,
                recorded_by_id, participation_id, project_id)
            SELECT now() - (g %% 700) * interval '1 day' - (g %% 11) * interval '1 hour',
                   {CHANNELS_SQL}[1 + g %% 5],
                   CASE WHEN g %% 3 = 0 THEN 'incoming' ELSE 'outgoing' END,
                   'Gesprek over de KVU en de afspraken in het uitgaansgebied (' || g || ').',
                   CASE WHEN g %% 4 = 0 THEN 'Positief, komt terug op het voorstel.' ELSE '' END,
                   CASE WHEN g %% 10 = 0 THEN current_date + (g %% 60 - 20) END,
                   g %% 20 = 0, now(), now(), pr.project_leader_id, pa.id, pa.project_id
            FROM generate_series(1, %s) g
            JOIN (SELECT id, project_id, row_number() OVER (ORDER BY id) AS rn
                  FROM partners_participation WHERE {{where}}) pa
              ON pa.rn = 1 + g %% %s
            JOIN kvu_project pr ON pr.id = pa.project_id"""
        step(
            "contact moments (big project)",
            c,
            contact_sql.format(where="project_id = %s"),
            [BIG_CONTACTS, big_id, BIG_PARTNERS],
        )
        c.execute("SELECT count(*) FROM partners_participation WHERE project_id <> %s", [big_id])
        n_participations = c.fetchone()[0]
        step(
            "contact moments",
            c,
            contact_sql.format(where="project_id <> %s"),
            [v["contacts"] - BIG_CONTACTS, big_id, n_participations],
        )
        step(
            "contact moment persons",
            c,
            """INSERT INTO partners_contactmoment_persons (contactmoment_id, person_id)
            SELECT cm.id, pa.main_contact_id FROM partners_contactmoment cm
            JOIN partners_participation pa ON pa.id = cm.participation_id""",
        )
        meeting_sql = """INSERT INTO meetings_meeting (title, kind, date, start_time, end_time,
                location, online_url, status, notes, uid, sequence, created_at, updated_at,
                created_by_id, project_id)
            SELECT 'Werkgroepoverleg ' || g, (ARRAY['intro_talk','entrepreneurs',
                   'working_group','other'])[1 + g %% 4], current_date + (g %% 120 - 90),
                   '19:30', '21:00', 'Stadhuis', '',
                   CASE WHEN g %% 120 - 90 < 0 THEN 'held' ELSE 'planned' END,
                   'Verslag volgt.', 'bench-{tag}-' || g || '@kvu-werkplaats', 0, now(), now(),
                   p.project_leader_id, p.id
            FROM generate_series(1, %s) g
            JOIN (SELECT id, project_leader_id, row_number() OVER (ORDER BY id) AS rn
                  FROM kvu_project WHERE {where}) p ON p.rn = 1 + g %% %s"""
        step(
            "meetings (big project)",
            c,
            meeting_sql.format(tag="big", where="id = %s"),
            [BIG_MEETINGS, big_id, 1],
        )
        step(
            "meetings",
            c,
            meeting_sql.format(tag="m", where="id <> %s"),
            [v["meetings"] - BIG_MEETINGS, big_id, v["projects"] - 1],
        )
        step(
            "agenda items",
            c,
            """INSERT INTO meetings_agendaitem (position, title, duration_minutes, description,
                   minutes, meeting_id)
            SELECT n, (ARRAY['Opening','Stand van zaken','Rondvraag'])[n], 20, '',
                   CASE WHEN m.status = 'held' THEN 'Besproken.' ELSE '' END, m.id
            FROM meetings_meeting m CROSS JOIN generate_series(1, 3) n""",
        )
        # Invitees and actions on the meetings of the big and the small project.
        step(
            "attendees",
            c,
            """INSERT INTO meetings_attendee (attendance, invited_at, created_at, person_id,
                   meeting_id)
            SELECT CASE WHEN m.status = 'held' THEN 'present' ELSE '' END, now(), now(),
                   pa.main_contact_id, m.id
            FROM meetings_meeting m
            JOIN partners_participation pa ON pa.project_id = m.project_id
            WHERE m.project_id IN (%s, %s) AND pa.id %% 10 < 1 + (m.id %% 3)""",
            [big_id, small_id],
        )
        step(
            "action items",
            c,
            """INSERT INTO meetings_actionitem (description, due_date, status, created_at,
                   updated_at, owner_user_id, meeting_id)
            SELECT 'Actie ' || n || ' van ' || m.title, m.date + 14,
                   CASE WHEN n = 1 THEN 'done' ELSE 'open' END, now(), now(),
                   m.created_by_id, m.id
            FROM meetings_meeting m CROSS JOIN generate_series(1, 2) n
            WHERE m.project_id IN (%s, %s)""",
            [big_id, small_id],
        )
        step(
            "agreements",
            c,
            """INSERT INTO partners_agreement (date, text, about_double_role, created_at,
                   updated_at, project_id, recorded_by_id)
            SELECT current_date - g, 'Afspraak ' || g || ' over toezicht en handhaving.',
                   g %% 7 = 0, now(), now(), p.id, p.project_leader_id
            FROM kvu_project p CROSS JOIN generate_series(1, 30) g
            WHERE p.id IN (%s, %s)""",
            [big_id, small_id],
        )
        step(
            "agreement partners",
            c,
            """INSERT INTO partners_agreement_participations (agreement_id, participation_id)
            SELECT a.id, pa.id FROM partners_agreement a
            JOIN partners_participation pa ON pa.project_id = a.project_id
             AND pa.id %% 30 = a.id %% 30""",
        )
        # The small project has fewer than 30 partners: give each agreement at least one, so
        # that its meeting page reads the same kinds of rows as the big project's.
        step(
            "agreement partners (at least one)",
            c,
            """INSERT INTO partners_agreement_participations (agreement_id, participation_id)
            SELECT a.id, (SELECT min(pa.id) FROM partners_participation pa
                          WHERE pa.project_id = a.project_id)
            FROM partners_agreement a
            WHERE NOT EXISTS (SELECT 1 FROM partners_agreement_participations ap
                              WHERE ap.agreement_id = a.id)""",
        )
        step(
            "meeting agreements",
            c,
            """INSERT INTO meetings_meeting_agreements (meeting_id, agreement_id)
            SELECT m.id, a.id FROM meetings_meeting m
            JOIN partners_agreement a ON a.project_id = m.project_id AND a.id %% 10 = m.id %% 10
            WHERE m.project_id IN (%s, %s)""",
            [big_id, small_id],
        )
        step(
            "meeting agreements (at least one)",
            c,
            """INSERT INTO meetings_meeting_agreements (meeting_id, agreement_id)
            SELECT m.id, (SELECT min(a.id) FROM partners_agreement a
                          WHERE a.project_id = m.project_id)
            FROM meetings_meeting m
            WHERE m.project_id IN (%s, %s) AND NOT EXISTS (
                SELECT 1 FROM meetings_meeting_agreements ma WHERE ma.meeting_id = m.id)""",
            [big_id, small_id],
        )
        big_tokens = declaration(big_id, signed=BIG_SIGNED, invited=BIG_PARTNERS)
        small_tokens = declaration(small_id, signed=5, invited=10)
        analysis(c, v, big_id, small_id)
        plans(c, big_id, small_id)
        covenant(big_id, signed=BIG_SIGNED, invited=BIG_PARTNERS)
        covenant(small_id, signed=5, invited=10)

    started = time.monotonic()
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE")
    print(f"  VACUUM ANALYZE: {time.monotonic() - started:.1f} s", flush=True)
    state = {"scale": scale, "volumes": v, "password": PASSWORD}
    state.update(page_objects(big_id, "big", big_tokens))
    state.update(page_objects(small_id, "small", small_tokens))
    (workdir / "state.json").write_text(json.dumps(state, indent=2))
    return state


def analysis(c, v, big_id: int, small_id: int) -> None:
    """The safety analysis (issue 20) of every project in step 3 or later and of the big and
    small projects: profile, streets, sources, figures, walk-throughs with findings, an
    entrepreneurs' survey with answers, conclusions and knelpunten."""
    step(
        "analyses",
        c,
        """INSERT INTO analysis_analysis (cycle, introduction, summary, method,
               report_shared_with, created_at, updated_at, project_id, started_by_id)
        SELECT 1, 'Deze analyse beschrijft het uitgaansgebied.', '', 'Schouw en enquête.', '',
               now(), now(), p.id, p.project_leader_id
        FROM kvu_project p WHERE p.ccv_step >= 3 OR p.id IN (%s, %s)""",
        [big_id, small_id],
    )
    step(
        "area profiles",
        c,
        """INSERT INTO analysis_areaprofile (description, functions, capacity, peak_nights,
               peak_hours, updated_at, analysis_id)
        SELECT 'Het uitgaansgebied rond de markt.', 'Wonen, winkels, horeca.', 4000,
               'vrijdag en zaterdag', '00:00-03:00', now(), a.id FROM analysis_analysis a""",
    )
    step(
        "streets",
        c,
        """INSERT INTO analysis_street (name, position, analysis_id)
        SELECT 'Straat ' || g, g, a.id
        FROM analysis_analysis a CROSS JOIN generate_series(1, %s) g""",
        [STREETS_PER_ANALYSIS],
    )
    step(
        "sources",
        c,
        """INSERT INTO analysis_source (kind, status, reason_not_used, notes, updated_at,
               analysis_id)
        SELECT k, CASE WHEN n <= 4 THEN 'done' WHEN n <= 8 THEN 'in_progress' ELSE 'planned'
               END, '', '', now(), a.id
        FROM analysis_analysis a CROSS JOIN unnest(%s::text[]) WITH ORDINALITY AS s(k, n)""",
        [
            [
                "police_figures",
                "safety_monitor",
                "walk_through",
                "entrepreneur_survey",
                "visitor_survey",
                "resident_survey",
                "interviews",
                "fire_service",
                "third_parties",
                "observations",
            ]
        ],
    )
    step(
        "key figures",
        c,
        """INSERT INTO analysis_keyfigure (kind, label, year, value, source, analysis_id)
        SELECT k, '', y, 50 + (a.id + y) %% 90, 'Politie, BVH', a.id
        FROM analysis_analysis a
        CROSS JOIN unnest(ARRAY['incidents','violence','nuisance','police_deployment']) k
        CROSS JOIN generate_series(2023, 2025) y""",
    )
    c.execute("SELECT count(*) FROM analysis_analysis")
    others = max(c.fetchone()[0] - 1, 1)
    per_other = max(-(-(v["findings"] - BIG_FINDINGS) // (others * 2)), 1)  # rounded up
    step(
        "walk-throughs",
        c,
        """INSERT INTO analysis_walkthrough (timing, date, route, notes, created_at,
               analysis_id, created_by_id)
        SELECT CASE WHEN g %% 2 = 0 THEN 'day' ELSE 'night' END, current_date - 10 * g,
               'Markt, stegen en uitvalswegen', '', now(), a.id, a.started_by_id
        FROM analysis_analysis a
        CROSS JOIN generate_series(1, CASE WHEN a.project_id = %s THEN %s ELSE 2 END) g""",
        [big_id, BIG_WALK_THROUGHS],
    )
    step(
        "findings",
        c,
        """INSERT INTO analysis_finding (location, category, severity, description,
               photo_location_kept, created_at, created_by_id, street_id, walk_through_id)
        SELECT 'nr. ' || g,
               (ARRAY['maintenance','access','visibility','attractiveness','fire_burglary',
                      'traffic','other'])[1 + g %% 7],
               (ARRAY['green','orange','red'])[1 + g %% 3],
               'Bevinding ' || g || ': kapotte verlichting en zwerfvuil bij de ingang.',
               false, now() - g * interval '1 minute', w.created_by_id,
               (SELECT s.id FROM analysis_street s WHERE s.analysis_id = w.analysis_id
                 AND s.position = 1 + g %% %s),
               w.id
        FROM analysis_walkthrough w JOIN analysis_analysis a ON a.id = w.analysis_id
        CROSS JOIN LATERAL generate_series(1, CASE WHEN a.project_id = %s THEN %s ELSE %s END) g""",
        [STREETS_PER_ANALYSIS, big_id, BIG_FINDINGS // BIG_WALK_THROUGHS, per_other],
    )
    step(
        "surveys",
        c,
        """INSERT INTO analysis_survey (kind, title, introduction, created_at, updated_at,
               analysis_id, created_by_id)
        SELECT 'entrepreneurs', 'Enquête ondernemers', 'Uw mening telt.', now(), now(), a.id,
               a.started_by_id FROM analysis_analysis a""",
    )
    step(
        "questions",
        c,
        """INSERT INTO analysis_question (position, text, kind, options, required, survey_id)
        SELECT q.n, q.text, q.kind, q.options, q.n = 1, s.id
        FROM analysis_survey s
        CROSS JOIN unnest(%s::text[], %s::text[], %s::text[]) WITH ORDINALITY
             AS q(kind, text, options, n)""",
        [
            [q[0] for q in SURVEY_QUESTIONS],
            [q[1] for q in SURVEY_QUESTIONS],
            [q[2] for q in SURVEY_QUESTIONS],
        ],
    )
    per_survey = max(  # paper responses per survey, rounded up
        -(
            -(v["answers"] - BIG_RESPONSES * len(SURVEY_QUESTIONS))
            // (others * len(SURVEY_QUESTIONS))
        ),
        1,
    )
    # Online responses of the big project's partners (invited; most answered) and paper ones.
    step(
        "responses",
        c,
        """INSERT INTO analysis_response (channel, respondent, token_hash, invited_at,
               expires_at, submitted_at, survey_id, participation_id)
        SELECT 'paper', 'Respondent ' || g, '', NULL, NULL, now() - g * interval '1 hour',
               s.id, NULL
        FROM analysis_survey s JOIN analysis_analysis a ON a.id = s.analysis_id
        CROSS JOIN LATERAL generate_series(1, CASE WHEN a.project_id = %s THEN %s ELSE %s END) g
        UNION ALL
        SELECT 'online', '', md5(pa.id::text || 'bench'), now() - interval '20 days',
               now() + interval '10 days',
               CASE WHEN pa.id %% 3 = 0 THEN NULL ELSE now() - interval '2 days' END, s.id, pa.id
        FROM analysis_survey s JOIN analysis_analysis a ON a.id = s.analysis_id
        JOIN partners_participation pa ON pa.project_id = a.project_id
        JOIN partners_organisation o ON o.id = pa.organisation_id AND o.kind = 'hospitality'""",
        [big_id, BIG_RESPONSES, per_survey],
    )
    step(
        "answers",
        c,
        """INSERT INTO analysis_answer (value, question_id, response_id)
        SELECT CASE q.kind
                 WHEN 'scale' THEN (1 + (r.id + q.position) %% 5)::text
                 WHEN 'single' THEN split_part(q.options, E'\n',
                      (1 + r.id %% (1 + length(q.options)
                                    - length(replace(q.options, E'\n', ''))))::int)
                 WHEN 'multiple' THEN split_part(q.options, E'\n', (1 + r.id %% 4)::int)
                 ELSE 'Meer toezicht op de late uren en betere verlichting, antwoord ' || r.id
               END,
               q.id, r.id
        FROM analysis_response r JOIN analysis_question q ON q.survey_id = r.survey_id
        WHERE r.submitted_at IS NOT NULL""",
    )
    step(
        "conclusions",
        c,
        """INSERT INTO analysis_conclusion (kind, text, position, created_at, updated_at,
               analysis_id)
        SELECT CASE WHEN g <= 3 THEN 'conclusion' ELSE 'recommendation' END,
               'Conclusie ' || g || ': de verlichting in de stegen schiet tekort.', g, now(),
               now(), a.id
        FROM analysis_analysis a CROSS JOIN generate_series(1, 5) g""",
    )
    step(
        "knelpunten",
        c,
        """INSERT INTO analysis_knelpunt (theme, title, description, location, position,
               created_at, updated_at, analysis_id)
        SELECT (ARRAY['nuisance','maintenance','safety','image','other'])[g],
               'Knelpunt ' || g, 'Wat de schouw en de enquête lieten zien.', '', g, now(), now(),
               a.id
        FROM analysis_analysis a CROSS JOIN generate_series(1, 5) g""",
    )
    step(
        "conclusion evidence",
        c,
        """INSERT INTO analysis_conclusion_findings (conclusion_id, finding_id)
        SELECT cn.id, f.id FROM analysis_conclusion cn
        CROSS JOIN LATERAL (
            SELECT f.id FROM analysis_finding f
            JOIN analysis_walkthrough w ON w.id = f.walk_through_id
            WHERE w.analysis_id = cn.analysis_id AND f.severity = 'red'
            ORDER BY f.id LIMIT 3) f""",
    )


MEASURES_PER_KNELPUNT = 6  # 5 knelpunten: 30 measures a plan


def plans(c, big_id: int, small_id: int) -> None:
    """The plan of approach (issue 21) of the big and the small project: 30 SMART measures over
    the analysis' five knelpunten, each with a responsible and two contributing partners, and
    two commitments of every partner."""
    step(
        "plans",
        c,
        """INSERT INTO plans_plan (cycle, motives, goal, starts_on, ends_on, decision_making,
               organisation, evaluation, shared_with, created_at, updated_at, project_id,
               analysis_id, started_by_id)
        SELECT 1, 'De veiligheidsanalyse liet geweld en overlast zien.',
               'Minder geweld en overlast in het uitgaansgebied.', current_date,
               current_date + 730, 'De stuurgroep besluit; de werkgroep bereidt voor.',
               'De werkgroep komt iedere zes weken bijeen.', 'Na een en na twee jaar.', '',
               now(), now(), a.project_id, a.id, p.project_leader_id
        FROM analysis_analysis a JOIN kvu_project p ON p.id = a.project_id
        WHERE a.project_id IN (%s, %s)""",
        [big_id, small_id],
    )
    step(
        "measures",
        c,
        """INSERT INTO plans_measure (theme, title, description, indicator, unit, baseline,
               baseline_source, target, target_date, costs, paid_by, starts_on, ends_on,
               evidence, position, created_at, updated_at, plan_id, knelpunt_id,
               responsible_id)
        SELECT k.theme, 'Maatregel ' || k.position || '.' || g,
               'Wat de partners samen doen tegen dit knelpunt.',
               'Geweldsincidenten op vrijdag- en zaterdagnacht', 'per jaar', 120, 'Politie',
               80, current_date + 730, 2500 * g, 'Gemeente', current_date, current_date + 730,
               (ARRAY['effective','promising','unknown','not_effective'])[1 + g %% 4], g, now(),
               now(), pl.id, k.id,
               (SELECT pa.id FROM partners_participation pa WHERE pa.project_id = pl.project_id
                ORDER BY pa.id OFFSET (k.position * %s + g) %% 10 LIMIT 1)
        FROM plans_plan pl
        JOIN analysis_knelpunt k ON k.analysis_id = pl.analysis_id
        CROSS JOIN generate_series(1, %s) g""",
        [MEASURES_PER_KNELPUNT, MEASURES_PER_KNELPUNT],
    )
    step(
        "measure contributors",
        c,
        """INSERT INTO plans_measure_contributors (measure_id, participation_id)
        SELECT m.id, pa.id FROM plans_measure m JOIN plans_plan pl ON pl.id = m.plan_id
        CROSS JOIN LATERAL (
            SELECT pa.id FROM partners_participation pa
            WHERE pa.project_id = pl.project_id AND pa.id <> m.responsible_id
            ORDER BY pa.id OFFSET m.id %% 7 LIMIT 2) pa""",
    )
    step(
        "commitments",
        c,
        """INSERT INTO plans_commitment (text, position, created_at, updated_at, plan_id,
               participation_id)
        SELECT 'Toezegging ' || g || ': wij nemen deel aan het horecaoverleg.', g, now(), now(),
               pl.id, pa.id
        FROM plans_plan pl JOIN partners_participation pa ON pa.project_id = pl.project_id
        CROSS JOIN generate_series(1, 2) g""",
    )


def covenant(project_id: int, *, signed: int, invited: int) -> None:
    """The covenant (issue 21) of a project, through the same engine as the declaration: sent to
    `invited` partners, `signed` of them signed, in force; ten of the signers joined during the
    term and five left (at most, for the small project)."""
    from datetime import date

    from django.utils import timezone

    from kvu.models import Project
    from partners.declaration import services
    from partners.models import Departure, DocumentKind

    project = Project.objects.select_related("project_leader").get(pk=project_id)
    today = timezone.localdate()
    document = services.create_document(
        project=project,
        kind=DocumentKind.COVENANT,
        user=project.project_leader,
        texts={
            "title": f"Convenant Veilig Uitgaan {project.nightlife_area}",
            "parties": "- Gemeente\n- Politie\n- Koninklijke Horeca Nederland",
            "goal": "Een veilig en aantrekkelijk uitgaansgebied.",
            "measures": "- Collectief huisverbod.\n- Toezicht door gecertificeerde portiers.",
            "contributions": "- Iedere partij neemt deel aan het horecaoverleg.",
            "membership": "Een horecabedrijf kan tijdens de looptijd toetreden of uittreden.",
            "duration": "Vier jaar vanaf de ondertekening.",
            "sanctions": "Eerst een gesprek, dan een schriftelijke waarschuwing.",
            "closing": "Online ondertekend.",
        },
        valid_from=date(today.year - 1, 1, 1),
        valid_until=date(today.year + 3, 1, 1),
    )
    joined = _signed_round(document, signed=signed, invited=invited, accessions=min(10, signed))
    for participation_id in joined[: min(5, len(joined))]:
        Departure.objects.create(
            document=document,
            participation_id=participation_id,
            left_on=today,
            reason="Het bedrijf is gesloten.",
            recorded_by=project.project_leader,
        )


def declaration(project_id: int, *, signed: int, invited: int) -> list[str]:
    """A frozen declaration with `invited` invitations, `signed` of them signed; the open ones
    get a personal link each, whose raw tokens are returned (first one reserved for reading)."""
    from kvu.models import Project
    from partners.declaration import services

    project = Project.objects.select_related("project_leader").get(pk=project_id)
    decl = services.create_declaration(project=project, user=project.project_leader)
    return _signed_round(decl, signed=signed, invited=invited, tokens=True)


def _signed_round(decl, *, signed: int, invited: int, accessions: int = 0, tokens=False):
    """Freeze `decl` and invite the project's first `invited` partners, `signed` of them signed
    (the last `accessions` signers as businesses that joined during the term). Returns the raw
    tokens of the open invitations' links (`tokens=True`), or the ids of the joined partners."""
    from django.utils import timezone

    from partners.declaration.signing import hash_token
    from partners.models import (
        Declaration,
        EventKind,
        Invitation,
        InvitationEvent,
        Participation,
        Signature,
        SigningToken,
        sha256_hex,
    )

    project = decl.project
    leader = project.project_leader
    text = decl.canonical_text()
    now = timezone.now()
    Declaration.objects.filter(pk=decl.pk).update(
        frozen_text=text, text_sha256=sha256_hex(text), frozen_at=now - timedelta(days=20)
    )
    decl.refresh_from_db()
    participations = list(
        Participation.objects.filter(project=project)
        .select_related("organisation", "main_contact")
        .order_by("pk")[:invited]
    )
    invitations = Invitation.objects.bulk_create(
        Invitation(
            declaration=decl,
            participation=p,
            person=p.main_contact,
            email=p.main_contact.email,
            status="signed" if i < signed else "open",
            accession=signed - accessions <= i < signed,
            expires_at=now + timedelta(days=10),
            sent_at=now - timedelta(days=20),
            opened_at=now - timedelta(days=19) if i < signed else None,
            created_by=leader,
        )
        for i, p in enumerate(participations)
    )
    Signature.objects.bulk_create(
        Signature(
            invitation=inv,
            declaration=decl,
            participation=inv.participation,
            decision="signed",
            signer_name=inv.person.name,
            signer_function=inv.person.function,
            organisation_name=inv.participation.organisation.name,
            answered_at=now - timedelta(days=18, minutes=i),
            ip_address="192.0.2.1",
            user_agent="Mozilla/5.0",
            text_sha256=decl.text_sha256,
        )
        for i, inv in enumerate(invitations[:signed])
    )
    events = []
    for i, inv in enumerate(invitations):
        events.append(InvitationEvent(invitation=inv, kind=EventKind.SENT, at=inv.sent_at))
        if i < signed:
            events.append(InvitationEvent(invitation=inv, kind=EventKind.OPENED, at=inv.opened_at))
            events.append(
                InvitationEvent(invitation=inv, kind=EventKind.SIGNED, at=now - timedelta(days=18))
            )
    InvitationEvent.objects.bulk_create(events)
    print(f"  {decl.kind} of project {project.pk}: {len(invitations)} invited, {signed} signed")
    if not tokens:
        return [inv.participation_id for inv in invitations[signed - accessions : signed]]
    raw = [secrets.token_urlsafe(32) for _inv in invitations[signed:]]
    SigningToken.objects.bulk_create(
        SigningToken(invitation=inv, token_hash=hash_token(tok), expires_at=inv.expires_at)
        for inv, tok in zip(invitations[signed:], raw, strict=True)
    )
    return raw


def page_objects(project_id: int, label: str, tokens: list[str]) -> dict:
    """The ids of the objects whose pages are measured: the busiest partner and meeting."""
    from django.db.models import Count

    from analysis.models import Survey, WalkThrough
    from meetings.models import Meeting
    from partners.models import Participation

    participation = (
        Participation.objects.filter(project_id=project_id)
        .annotate(n=Count("contact_moments"))
        .order_by("-n", "pk")
        .first()
    )
    meeting = (
        Meeting.objects.filter(project_id=project_id, status="held")
        .annotate(n=Count("attendees"))
        .order_by("-n", "pk")
        .first()
    )
    return {
        label: {
            "project": project_id,
            "participation": participation.pk,
            "meeting": meeting.pk,
            "tokens": tokens,
            # Safety analysis (issue 20): the entrepreneurs' survey and the busiest walk-through.
            "survey": Survey.objects.get(analysis__project_id=project_id).pk,
            "walk_through": WalkThrough.objects.filter(analysis__project_id=project_id)
            .annotate(n=Count("findings"))
            .order_by("-n", "pk")
            .first()
            .pk,
        }
    }


def main():
    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    workdir = Path(os.environ.get("BENCH_WORKDIR", "/tmp/kvu-bench"))
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    generate(float(os.environ.get("BENCH_SCALE", "1")), workdir)
    print(f"Generated in {time.monotonic() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
