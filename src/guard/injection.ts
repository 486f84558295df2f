/**
 * Phrases that try to override the assistant's instructions, in English, Portuguese and
 * Spanish. They feed the risk score only; a match never rejects a message by itself,
 * because customers also quote such phrases innocently.
 */

interface InjectionMarker {
  /** Stable id shown in risk explanations. */
  id: string;
  pattern: RegExp;
}

// Patterns run on the analysis copy with accents removed, so "instruções" is "instrucoes".
const MARKERS: InjectionMarker[] = [
  {
    id: 'ignore_instructions',
    pattern:
      /\b(ignore|disregard|forget|override)\b.{0,30}\b(previous|prior|above|earlier|all|your)\b.{0,20}\b(instructions?|prompts?|rules|directions)\b/u,
  },
  { id: 'system_prompt', pattern: /\bsystem\s?prompt\b|\binitial prompt\b/u },
  { id: 'you_are_now', pattern: /\byou are now\b|\bfrom now on you are\b/u },
  { id: 'developer_mode', pattern: /\b(developer|dev|god|admin) mode\b|\bjailbreak/u },
  { id: 'role_tags', pattern: /<\|?(system|im_start|im_end)\|?>|\[(system|inst)\]|^#+ ?system\b/mu },
  { id: 'pretend_role', pattern: /\b(pretend|act) (to be|you are|as if you were|as an? unrestricted)\b/u },
  {
    id: 'ignore_instructions_pt',
    pattern: /\b(ignore|ignora|desconsidere|desconsidera|esqueca|esquece)\b.{0,30}\b(instrucoes|regras|ordens)\b/u,
  },
  {
    id: 'ignore_instructions_es',
    pattern: /\b(ignora|ignore|olvida|olvide|descarta)\b.{0,30}\b(instrucciones|reglas|indicaciones)\b/u,
  },
  { id: 'system_prompt_pt_es', pattern: /\bprompt (do|de|del) sistema\b|\binstrucciones del sistema\b/u },
  { id: 'you_are_now_pt_es', pattern: /\bvoce agora e\b|\bagora voce e\b|\bahora eres\b|\bahora tu eres\b/u },
  { id: 'developer_mode_pt_es', pattern: /\bmodo (de )?(desenvolvedor|desarrollador)\b/u },
  { id: 'pretend_role_pt_es', pattern: /\b(finja|finge|finjas|actua como si)\b.{0,20}\b(que|ser|fueras|fosse)\b/u },
];

/** Remove combining marks so accented and plain spellings match the same pattern. */
function foldAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '');
}

/**
 * Return the ids of the injection markers found in `analysisText`, which must already be
 * normalized for analysis (lowercase, invisible characters removed).
 */
export function findInjectionMarkers(analysisText: string): string[] {
  const folded = foldAccents(analysisText);
  return MARKERS.filter((marker) => marker.pattern.test(folded)).map((marker) => marker.id);
}
