//! The compact form of a [`Model`]: what the build script writes from the CSDL and the crate
//! reads back, so that nothing parses XML at compile time of the user's code.
//!
//! A byte stream: the magic `GESC4`, then every field in declaration order; integers as LEB128,
//! strings as a length and UTF-8, options and booleans as one byte.

use crate::model::{
    Clouds, Inferred, MemberDef, Model, NavigationDef, OperationDef, OperationKind, ParameterDef,
    PropertyDef, Restrictions, RootDef, RootKind, TypeDef, TypeKind, TypeRef,
};

const MAGIC: &[u8] = b"GESC4";

/// Writes `model` in the compact form (for the build script, and the tests).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn encode(model: &Model) -> Vec<u8> {
    let mut w = Writer(MAGIC.to_vec());
    w.len(model.types.len());
    for ty in &model.types {
        w.str(&ty.name);
        w.byte(match ty.kind {
            TypeKind::Entity => 0,
            TypeKind::Complex => 1,
            TypeKind::Enum => 2,
        });
        w.opt(ty.base.as_deref());
        w.byte(u8::from(ty.is_abstract) | u8::from(ty.open) << 1 | u8::from(ty.flags) << 2);
        w.len(ty.key.len());
        for key in &ty.key {
            w.str(key);
        }
        w.len(ty.properties.len());
        for p in &ty.properties {
            w.str(&p.name);
            w.type_ref(&p.ty);
            w.byte(u8::from(p.nullable) | u8::from(p.computed) << 1);
            w.opt(p.description.as_deref());
            w.byte(p.clouds.bits());
            w.uint(u64::from(p.inferred.bits()));
        }
        w.len(ty.navigation.len());
        for n in &ty.navigation {
            w.str(&n.name);
            w.type_ref(&n.ty);
            w.byte(u8::from(n.contains_target));
            w.opt(n.description.as_deref());
            w.restrictions(n.restrictions);
            w.byte(n.clouds.bits());
            w.uint(u64::from(n.inferred.bits()));
        }
        w.len(ty.members.len());
        for m in &ty.members {
            w.str(&m.name);
            w.int(m.value);
            w.byte(m.clouds.bits());
        }
        w.opt(ty.description.as_deref());
        w.byte(ty.clouds.bits());
        w.uint(u64::from(ty.inferred.bits()));
    }
    w.len(model.roots.len());
    for root in &model.roots {
        w.str(&root.name);
        w.byte(u8::from(root.kind == RootKind::Singleton));
        w.str(&root.ty);
        w.restrictions(root.restrictions);
        w.byte(root.clouds.bits());
    }
    w.len(model.operations.len());
    for op in &model.operations {
        w.str(&op.name);
        w.byte(
            u8::from(op.kind == OperationKind::Function)
                | u8::from(op.composable) << 1
                | u8::from(op.returns_nullable) << 2,
        );
        match &op.binding {
            None => w.byte(0),
            Some(binding) => {
                w.byte(1);
                w.type_ref(binding);
            }
        }
        w.len(op.parameters.len());
        for p in &op.parameters {
            w.str(&p.name);
            w.type_ref(&p.ty);
            w.byte(u8::from(p.nullable) | u8::from(p.optional) << 1);
            w.byte(p.clouds.bits());
            w.uint(u64::from(p.inferred.bits()));
        }
        match &op.returns {
            None => w.byte(0),
            Some(returns) => {
                w.byte(1);
                w.type_ref(returns);
                w.uint(u64::from(op.returns_inferred.bits()));
            }
        }
        w.opt(op.import.as_deref());
        w.byte(op.clouds.bits());
    }
    w.0
}

/// Reads a model written by [`encode`].
///
/// # Errors
///
/// What is wrong with the bytes (a truncated or foreign stream).
pub(crate) fn decode(bytes: &[u8]) -> Result<Model, String> {
    let rest = bytes.strip_prefix(MAGIC).ok_or("not the compact schema form (bad magic)")?;
    let mut r = Reader(rest);
    let mut model = Model::default();
    for _ in 0..r.len()? {
        let name = r.string()?;
        let kind = match r.byte()? {
            0 => TypeKind::Entity,
            1 => TypeKind::Complex,
            2 => TypeKind::Enum,
            other => return Err(format!("unknown type kind {other}")),
        };
        let base = r.opt()?;
        let flags = r.byte()?;
        let key = (0..r.len()?).map(|_| r.string()).collect::<Result<_, _>>()?;
        let mut properties = Vec::new();
        for _ in 0..r.len()? {
            let name = r.string()?;
            let ty = r.type_ref()?;
            let bits = r.byte()?;
            let description = r.opt()?;
            let clouds = Clouds::from_bits(r.byte()?);
            let inferred = r.inferred()?;
            properties.push(PropertyDef {
                name,
                ty,
                nullable: bits & 1 != 0,
                computed: bits & 2 != 0,
                description,
                clouds,
                inferred,
            });
        }
        let mut navigation = Vec::new();
        for _ in 0..r.len()? {
            let name = r.string()?;
            let ty = r.type_ref()?;
            let contains_target = r.byte()? != 0;
            let description = r.opt()?;
            let restrictions = r.restrictions()?;
            let clouds = Clouds::from_bits(r.byte()?);
            let inferred = r.inferred()?;
            navigation.push(NavigationDef {
                name,
                ty,
                contains_target,
                description,
                restrictions,
                clouds,
                inferred,
            });
        }
        let mut members = Vec::new();
        for _ in 0..r.len()? {
            let name = r.string()?;
            let value = r.int()?;
            let clouds = Clouds::from_bits(r.byte()?);
            members.push(MemberDef { name, value, clouds });
        }
        let description = r.opt()?;
        let clouds = Clouds::from_bits(r.byte()?);
        let inferred = r.inferred()?;
        model.types.push(TypeDef {
            name,
            kind,
            base,
            is_abstract: flags & 1 != 0,
            open: flags & 2 != 0,
            flags: flags & 4 != 0,
            key,
            properties,
            navigation,
            members,
            description,
            clouds,
            inferred,
        });
    }
    for _ in 0..r.len()? {
        let name = r.string()?;
        let kind = if r.byte()? == 1 { RootKind::Singleton } else { RootKind::EntitySet };
        let ty = r.string()?;
        let restrictions = r.restrictions()?;
        let clouds = Clouds::from_bits(r.byte()?);
        model.roots.push(RootDef { name, kind, ty, restrictions, clouds });
    }
    for _ in 0..r.len()? {
        let name = r.string()?;
        let flags = r.byte()?;
        let binding = match r.byte()? {
            0 => None,
            _ => Some(r.type_ref()?),
        };
        let mut parameters = Vec::new();
        for _ in 0..r.len()? {
            let name = r.string()?;
            let ty = r.type_ref()?;
            let bits = r.byte()?;
            let clouds = Clouds::from_bits(r.byte()?);
            let inferred = r.inferred()?;
            parameters.push(ParameterDef {
                name,
                ty,
                nullable: bits & 1 != 0,
                optional: bits & 2 != 0,
                clouds,
                inferred,
            });
        }
        let (returns, returns_inferred) = match r.byte()? {
            0 => (None, Inferred::NONE),
            _ => (Some(r.type_ref()?), r.inferred()?),
        };
        let import = r.opt()?;
        let clouds = Clouds::from_bits(r.byte()?);
        model.operations.push(OperationDef {
            name,
            kind: if flags & 1 != 0 { OperationKind::Function } else { OperationKind::Action },
            binding,
            parameters,
            returns,
            returns_nullable: flags & 4 != 0,
            returns_inferred,
            composable: flags & 2 != 0,
            import,
            clouds,
        });
    }
    if !r.0.is_empty() {
        return Err(format!("{} bytes left over after the schema", r.0.len()));
    }
    Ok(model)
}

#[cfg_attr(not(test), allow(dead_code))]
struct Writer(Vec<u8>);

#[cfg_attr(not(test), allow(dead_code))]
impl Writer {
    fn byte(&mut self, b: u8) {
        self.0.push(b);
    }

    fn uint(&mut self, mut n: u64) {
        loop {
            let low = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.0.push(low);
                return;
            }
            self.0.push(low | 0x80);
        }
    }

    fn len(&mut self, n: usize) {
        self.uint(n as u64);
    }

    /// Zigzag, so that small negative values stay short.
    fn int(&mut self, n: i64) {
        self.uint(((n << 1) ^ (n >> 63)) as u64);
    }

    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn opt(&mut self, s: Option<&str>) {
        match s {
            None => self.byte(0),
            Some(s) => {
                self.byte(1);
                self.str(s);
            }
        }
    }

    fn type_ref(&mut self, ty: &TypeRef) {
        self.str(&ty.name);
        self.byte(u8::from(ty.collection));
    }

    fn restrictions(&mut self, r: Restrictions) {
        self.byte(u8::from(r.insertable) | u8::from(r.updatable) << 1 | u8::from(r.deletable) << 2);
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    #[inline(always)]
    fn byte(&mut self) -> Result<u8, String> {
        // Written for the macros' debug builds, which decode without optimizations.
        match self.0 {
            [b, rest @ ..] => {
                self.0 = rest;
                Ok(*b)
            }
            [] => Err("the compact schema is truncated".to_owned()),
        }
    }

    #[inline(always)]
    fn uint(&mut self) -> Result<u64, String> {
        // Most counts and lengths fit one byte.
        if let [b @ 0..=0x7f, rest @ ..] = self.0 {
            self.0 = rest;
            return Ok(u64::from(*b));
        }
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err("an integer of the compact schema is too long".to_owned())
    }

    #[inline(always)]
    fn len(&mut self) -> Result<usize, String> {
        let n = self.uint()?;
        let n = usize::try_from(n).map_err(|_| "a length does not fit".to_owned())?;
        if n > self.0.len() * 8 + 8 {
            // Every element takes at least one byte: a larger count is corruption.
            return Err(format!("a count of {n} exceeds what is left"));
        }
        Ok(n)
    }

    fn int(&mut self) -> Result<i64, String> {
        let n = self.uint()?;
        Ok((n >> 1) as i64 ^ -((n & 1) as i64))
    }

    fn string(&mut self) -> Result<String, String> {
        let n = self.len()?;
        if n > self.0.len() {
            return Err("a string of the compact schema is truncated".to_owned());
        }
        let (text, rest) = self.0.split_at(n);
        self.0 = rest;
        String::from_utf8(text.to_vec()).map_err(|_| "a string is not UTF-8".to_owned())
    }

    fn opt(&mut self) -> Result<Option<String>, String> {
        match self.byte()? {
            0 => Ok(None),
            _ => self.string().map(Some),
        }
    }

    fn type_ref(&mut self) -> Result<TypeRef, String> {
        Ok(TypeRef { name: self.string()?, collection: self.byte()? != 0 })
    }

    fn inferred(&mut self) -> Result<Inferred, String> {
        let bits = u16::try_from(self.uint()?).map_err(|_| "an inferred set is too large")?;
        Ok(Inferred::from_bits(bits))
    }

    fn restrictions(&mut self) -> Result<Restrictions, String> {
        let b = self.byte()?;
        Ok(Restrictions { insertable: b & 1 != 0, updatable: b & 2 != 0, deletable: b & 4 != 0 })
    }
}
